import { Link } from "wouter";

export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <div className="mx-auto max-w-lg p-8 text-center">
      <h1 className="mb-2 text-xl font-semibold">Not found</h1>
      <p role="alert" className="mb-4 text-muted-foreground">
        This {what} does not exist, or it is private.
      </p>
      <Link href="/" className="btn">
        Start a new chat
      </Link>
    </div>
  );
}
