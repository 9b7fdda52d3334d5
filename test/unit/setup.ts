// Registers aws-sdk-client-mock's matchers (toHaveReceivedCommandWith, ...) once for every unit test.
import 'aws-sdk-client-mock-vitest/extend';
