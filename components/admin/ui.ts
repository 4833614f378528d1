// Shared class names of the admin forms and tables.
export const input =
  "rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";
export const button = "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60";
export const quietButton = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";
export const dangerButton = "rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50";
export const table = "min-w-full divide-y divide-slate-200 text-sm";
export const th = "px-4 py-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
export const td = "px-4 py-3 align-top";
export const card = "overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm";
export const label = "flex flex-col gap-1 text-sm font-medium text-slate-700";
