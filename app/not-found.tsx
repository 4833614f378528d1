import Link from "next/link";

// Our own 404 (Next's built-in one uses inline styles, which the CSP forbids). Something that
// exists but is not yours lands here too, on purpose: the two must look the same.
export default function NotFound() {
  return (
    <div className="grid min-h-[60vh] place-items-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">Not found</h1>
        <p className="mt-2 text-slate-600">There is nothing here, or nothing you may see.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-700 hover:underline">
          Back to the overview
        </Link>
      </div>
    </div>
  );
}
