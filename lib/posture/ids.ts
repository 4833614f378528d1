import { NotVisible } from "@/lib/authz/actor";

const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/** An id that cannot be one of ours is answered like one the viewer may not see (404). */
export function checkId(id: string, what: string): void {
  if (!ID_SHAPE.test(id)) throw new NotVisible(what);
}
