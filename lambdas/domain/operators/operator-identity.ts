import { AccessDeniedError } from '#domain/errors';
import type { Actor } from '#domain/records/record';

/** What API Gateway's IAM authorization tells the function about the caller (`requestContext.authorizer.iam`). */
export interface IamCaller {
  readonly userArn?: string;
  readonly userId?: string;
  readonly accessKey?: string;
  readonly accountId?: string;
}

/** The caller's IAM identity is missing or of a kind operators are not: refused, fail closed (403). */
export class OperatorIdentityError extends AccessDeniedError {
  constructor() {
    super('The request carries no IAM identity an operator may act with.');
    this.name = 'OperatorIdentityError';
  }
}

const accessKeyPattern = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
const accountPattern = /^[0-9]{12}$/;
const partitionPattern = 'aws[a-z-]*';

/**
 * The operator as the audit records them: an id derived from the IAM identity that holds no personal
 * data, yet with CloudTrail names the person. Session names (often a person's name or e-mail address)
 * and IAM user names are never kept:
 * - an assumed role (`arn:aws:sts::<account>:assumed-role/<role>/<session>`): the role's ARN (the
 *   session name dropped) and the access key id, which CloudTrail ties to the session;
 * - an IAM user: `iam-user:<account>:<unique id>` (the `AIDA…` id, never the user name) and the access
 *   key id;
 * - the account root: its ARN and the access key id.
 * Anything else (federated users, whose ids embed the caller's chosen name; a missing identity) is refused.
 */
export function operatorActor(caller: IamCaller | undefined): Actor {
  const { userArn = '', userId = '', accessKey = '', accountId = '' } = caller ?? {};
  if (!accessKeyPattern.test(accessKey) || !accountPattern.test(accountId)) throw new OperatorIdentityError();
  const role = new RegExp(
    `^arn:(${partitionPattern}):sts::(${accountId}):assumed-role/([\\w+=,.@-]{1,64})/[^/]+$`,
  ).exec(userArn);
  if (role) return operator(`arn:${role[1]}:iam::${role[2]}:role/${role[3]}`, accessKey);
  const user = new RegExp(`^arn:(${partitionPattern}):iam::(${accountId}):user/.+$`).exec(userArn);
  if (user && /^AIDA[A-Z0-9]{12,124}$/.test(userId)) {
    return operator(`iam-user:${user[2]}:${userId}`, accessKey);
  }
  const root = new RegExp(`^arn:(${partitionPattern}):iam::(${accountId}):root$`).exec(userArn);
  if (root) return operator(userArn, accessKey);
  throw new OperatorIdentityError();
}

const operator = (principal: string, accessKey: string): Actor => ({
  type: 'operator',
  id: `${principal}#${accessKey}`,
});
