export default function Page({ id }: { id: string }) {
  return <p className="p-6">Lookout {id}</p>;
}
