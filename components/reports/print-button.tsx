"use client";
// The browser's print dialog: with the print stylesheet, it saves the report as a PDF.
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 print:hidden">
      Print or save as PDF
    </button>
  );
}
