/**
 * The store could not be opened or used. The message is written for whoever runs the bot: what is
 * wrong, with which file, and what to do about it.
 */
export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
