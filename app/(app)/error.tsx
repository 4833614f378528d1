"use client";
// A page that fails shows this inside the app's shell (navigation stays), with a way to retry.
import { useEffect } from "react";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-900">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2">Something went wrong on the server. The rest of Portcullis still works; try again, or pick another page.</p>
      {error.digest && <p className="mt-2 font-mono text-xs text-red-700">Reference: {error.digest} (in the server log)</p>}
      <button onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800">Try again</button>
    </div>
  );
}
