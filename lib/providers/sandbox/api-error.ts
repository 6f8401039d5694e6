// Errors the sandbox answers to its clients, in OpenAI's shape, so that the official SDK turns them
// into its typed errors (AuthenticationError, NotFoundError, BadRequestError ...).
import "server-only";

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "SandboxError";
  }

  toResponse() {
    return Response.json(
      { error: { message: this.message, type: this.type, param: this.param, code: this.code } },
      { status: this.status },
    );
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new SandboxError(400, message, "invalid_request_error", code, param);

export const notFound = (message: string, param: string | null = null) =>
  new SandboxError(404, message, "invalid_request_error", null, param);
