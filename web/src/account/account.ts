/** The accounts service's password rules (AccountMutations: 8 to 128 characters, a letter and a digit), checked before sending. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export type PasswordErrors = Partial<Record<keyof PasswordForm, string>>;

/**
 * What is wrong with a change-password form before it is sent, one message per field. The server checks the same
 * rules again and alone knows whether the current password is right; "must differ" is only judged here on the text typed.
 */
export function passwordFormErrors(form: PasswordForm): PasswordErrors {
  const errors: PasswordErrors = {};
  if (form.currentPassword.length === 0) errors.currentPassword = 'Enter your current password.';
  const next = form.newPassword;
  if (next.length < PASSWORD_MIN || next.length > PASSWORD_MAX) errors.newPassword = `Use ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;
  else if (!/\p{L}/u.test(next) || !/\p{Nd}/u.test(next)) errors.newPassword = 'Use at least one letter and one digit.';
  else if (next === form.currentPassword) errors.newPassword = 'Choose a password different from the current one.';
  if (!errors.newPassword && form.confirmPassword !== next) errors.confirmPassword = 'The two new passwords do not match.';
  return errors;
}

/** Server errors (UserError.field = ["input", name]) by form field; errors without a known field are returned as `other`. */
export function errorsByField<F extends string>(errors: readonly { message: string; field?: readonly string[] | null }[], fields: readonly F[]): { byField: Partial<Record<F, string>>; other: string[] } {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  for (const error of errors) {
    const name = error.field?.[error.field.length - 1] as F | undefined;
    if (name && fields.includes(name) && !byField[name]) byField[name] = error.message;
    else other.push(error.message);
  }
  return { byField, other };
}

/** One line for a saved address: "Ada Lovelace, 12 Market St, Apt 4, San Francisco CA 94103, US". */
export function addressLine(a: { name: string; line1: string; line2?: string | null; city: string; region?: string | null; postalCode: string; country: string }): string {
  return [a.name, a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}
