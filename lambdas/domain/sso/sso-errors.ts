import { DomainError } from '#domain/errors';

/** The account requires single sign-on: an agent's personal API key is refused (integration keys are not). */
export class SsoRequiredError extends DomainError {
  constructor() {
    super(
      "This account requires single sign-on: sign in at the account's identity provider and send its token as Authorization: Bearer. Integration keys keep working.",
      'sso_required',
    );
    this.name = 'SsoRequiredError';
  }
}

/** The identity provider's discovery document or keys could not be read: nobody is let in, retry later. */
export class IdentityProviderUnavailableError extends DomainError {
  constructor() {
    super(
      "The account's identity provider could not be reached to check the token; retry later.",
      'identity_provider_unavailable',
    );
    this.name = 'IdentityProviderUnavailableError';
  }
}
