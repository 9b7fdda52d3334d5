/** Up to 16 KiB: ID tokens with many groups grow well past a portal token's 400 characters. */
const jwtBearer = /^Bearer\s+([A-Za-z0-9_-]{1,16384}\.[A-Za-z0-9_-]{1,16384}\.[A-Za-z0-9_-]{0,16384})\s*$/i;

/**
 * The JSON Web Token of an `Authorization: Bearer …` header (three base64url segments), if that is
 * what it holds. A portal token (`hdpt.` and six more dot-separated parts) never has this shape.
 */
export function bearerJwt(header: string | undefined): string | undefined {
  if (!header || header.length > 50_000) return undefined;
  return jwtBearer.exec(header)?.[1];
}
