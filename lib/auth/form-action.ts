// The shared body of every form's server action: the signed-in viewer does the work through the
// domain (which authorizes, validates and audits); a refused or failed change becomes a message
// by the form, never a crash, in the same words as the API.
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import type { FormState } from "@/lib/admin/form-state";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import { describeError } from "@/lib/errors";

export async function asViewer(work: (viewer: Viewer) => Promise<FormState>, revalidate: { path: string; type?: "layout" | "page" }, what: string): Promise<FormState> {
  const viewer = await getViewer();
  if (!viewer) return { error: "Your session has ended; sign in again.", message: null };
  try {
    const result = await work(viewer);
    revalidatePath(revalidate.path, revalidate.type);
    return result;
  } catch (error) {
    unstable_rethrow(error);
    return { error: describeError(error, what).message, message: null };
  }
}

export const formText = (form: FormData, name: string) => String(form.get(name) ?? "");
export const done = (message: string) => ({ error: null, message });
