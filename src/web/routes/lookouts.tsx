export default function Page() {
  return <p className="p-6">Coming next.</p>;
}
