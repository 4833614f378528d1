// What an admin form's server action answers: an error to show, or a confirmation (and, once,
// a secret such as a new token).
export interface FormState {
  error: string | null;
  message: string | null;
  secret?: string;
}
