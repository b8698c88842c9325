/** An error whose message is written for the person who ran the command; it goes back ephemerally. */
export class UserFacingError extends Error {
  override readonly name = "UserFacingError";
}
