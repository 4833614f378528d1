// The two refusals of the authorization policy.
import { AppError } from "@/lib/errors";

/** The actor may not do this at all (403 for the API; pages answer 404). */
export class AccessDenied extends AppError {
  constructor(message = "You are not allowed to do that.") {
    super("forbidden", message);
    this.name = "AccessDenied";
  }
}

/** Not there, or not visible to this actor: the two answer the same, so nothing leaks. */
export class NotVisible extends AppError {
  constructor(what = "That") {
    super("not_found", `${what} was not found.`);
    this.name = "NotVisible";
  }
}
