import type { LookoutRunStatus } from "../../db/schema";
import type { Mail } from "../mail/mailer";
import { excerptOf } from "./report-text";

/** How much of the report the mail carries; the rest is one click away in the chat. */
export const REPORT_EXCERPT_CHARS = 1_200;
const SUBJECT_TITLE_CHARS = 120;

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// A title is the user's text: a line break in it must not start a new header line.
const subjectTitle = (title: string) => {
  const flat = title.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
  return flat.length > SUBJECT_TITLE_CHARS ? `${flat.slice(0, SUBJECT_TITLE_CHARS - 1).trimEnd()}…` : flat;
};

export interface RunMailInput {
  to: string;
  title: string;
  status: LookoutRunStatus;
  /** Why a run without a report ended. */
  error?: string;
  /** The report's text (success). */
  report?: string;
  /** The report chat in the web app. */
  chatUrl?: string;
  /** The link that turns these emails off; absent when the server cannot sign one. */
  offUrl?: string;
}

const headlines: Record<LookoutRunStatus, { subject: string; text: (title: string) => string; html: string }> = {
  success: {
    subject: "New report",
    text: (title) => `Your lookout "${title}" has a new report.`,
    html: "has a new report.",
  },
  error: {
    subject: "Lookout failed",
    text: (title) => `Your lookout "${title}" failed.`,
    html: "failed.",
  },
  timeout: {
    subject: "Lookout timed out",
    text: (title) => `Your lookout "${title}" timed out.`,
    html: "timed out.",
  },
};

/** The mail telling a lookout's owner how a run ended: plain text, and HTML with every given text escaped. */
export function buildRunMail(input: RunMailInput): Mail {
  const headline = headlines[input.status];
  const excerpt = input.report ? excerptOf(input.report, REPORT_EXCERPT_CHARS) : "";
  const reason = input.status === "success" ? "" : (input.error ?? "").trim();

  const text = [
    headline.text(input.title),
    reason ? `What happened: ${reason}` : "",
    excerpt,
    input.chatUrl ? `Read the whole report: ${input.chatUrl}` : "",
    input.offUrl
      ? `--\nYou get this email when a run of this lookout ends. Turn these emails off: ${input.offUrl}`
      : "",
  ]
    .filter((part) => part.length > 0)
    .join("\n\n");

  const html = [
    '<!doctype html><html><body style="font-family:system-ui,-apple-system,sans-serif;line-height:1.5;color:#1f2328">',
    `<p>Your lookout <strong>${escapeHtml(input.title)}</strong> ${headline.html}</p>`,
    reason ? `<p>What happened: ${escapeHtml(reason)}</p>` : "",
    excerpt
      ? `<div style="white-space:pre-wrap;border-left:3px solid #d0d7de;padding-left:12px">${escapeHtml(excerpt)}</div>`
      : "",
    input.chatUrl ? `<p><a href="${escapeHtml(input.chatUrl)}">Read the whole report</a></p>` : "",
    input.offUrl
      ? `<hr><p style="font-size:12px;color:#59636e">You get this email when a run of this lookout ends. <a href="${escapeHtml(input.offUrl)}">Turn these emails off</a>.</p>`
      : "",
    "</body></html>",
  ].join("");

  return {
    to: input.to,
    subject: `${headline.subject}: ${subjectTitle(input.title)}`,
    text,
    html,
    kind: "lookout-run",
    url: input.chatUrl,
  };
}
