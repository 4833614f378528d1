// What the scanner said (message, how to fix, evidence) and, for a vulnerability, its references:
// text as the report gave it (React escapes it), links only to web addresses.
import { scannerNotes, webAddress } from "@/lib/findings/scanner-notes";

const REFERENCES_LISTED = 5;
const link = "break-all text-brand-700 hover:underline";

export function ScannerNotes({ details, references }: { details: unknown; references: string[] }) {
  const notes = scannerNotes(details);
  const links = references.filter(webAddress);
  if (notes.length === 0 && links.length === 0) return null;
  return (
    <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-2 border-t border-slate-100 pt-4 text-sm" aria-label="What the scanner says">
      {notes.map((note) => (
        <div key={`${note.label}:${note.text}`} className="contents">
          <dt className="text-slate-500">{note.label}</dt>
          <dd className="min-w-0 whitespace-pre-line break-words text-slate-800">
            {note.href ? <a className={link} href={note.href} rel="noopener noreferrer" target="_blank">{note.text}</a> : note.text}
          </dd>
        </div>
      ))}
      {links.length > 0 && (
        <div className="contents">
          <dt className="text-slate-500">References</dt>
          <dd className="flex min-w-0 flex-col gap-1">
            {links.slice(0, REFERENCES_LISTED).map((href) => (
              <a key={href} className={link} href={href} rel="noopener noreferrer" target="_blank">{href}</a>
            ))}
            {links.length > REFERENCES_LISTED && <span className="text-xs text-slate-500">and {links.length - REFERENCES_LISTED} more</span>}
          </dd>
        </div>
      )}
    </dl>
  );
}
