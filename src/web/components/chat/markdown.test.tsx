import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import Markdown from "./markdown";

describe("the reply's Markdown", () => {
  it("renders Markdown, and raw HTML from the model only as escaped text", () => {
    const html = renderToString(
      <Markdown
        text={
          '**Lisbon** in <b>May</b> <script>alert("x")</script><img src="https://tracker.example/x.png" onerror="alert(1)">'
        }
        streaming={false}
      />,
    );
    expect(html).toMatch(/data-streamdown="strong">Lisbon</);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain('onerror="');
    expect(html).toContain("&lt;script&gt;");
  });

  it("opens links elsewhere without telling the target where the reader came from", () => {
    const html = renderToString(
      <Markdown text="See [Visit Lisboa](https://www.visitlisboa.com/)." streaming={false} />,
    );
    expect(html).toMatch(/<a[^>]+href="https:\/\/www\.visitlisboa\.com\/"/);
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('target="_blank"');
  });

  it("shows a Markdown image as a link instead of loading it from another host", () => {
    const html = renderToString(<Markdown text="![Tram 28](https://images.example/tram.jpg)" streaming={false} />);
    expect(html).not.toContain("<img");
    expect(html).toContain("Image: Tram 28");
  });

  it("renders a half-written reply while it streams", () => {
    const html = renderToString(<Markdown text={"Pack for **rain"} streaming />);
    expect(html).toContain("rain");
  });
});
