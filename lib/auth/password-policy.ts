// The password policy for local accounts (NIST 800-63B style: length over composition rules,
// and no password that is the account's own name or one of the passwords every attacker tries first).
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON = new Set([
  "123456789012", "password1234", "passwordpassword", "qwertyuiopas", "letmeinletmein",
  "administrator", "changemechangeme", "welcome12345", "iloveyou1234", "portcullis123",
]);

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const localPart = email.toLowerCase().split("@")[0];
  if (localPart.length >= 3 && lower.includes(localPart)) return "the password must not contain the email address";
  if (COMMON.has(lower) || new Set(lower).size < 4) return "the password is too easy to guess";
  return null;
}
