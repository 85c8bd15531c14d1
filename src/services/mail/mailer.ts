import type { Logger } from "../../lib/log";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for; lets tests and logs find a mail without parsing it. */
  kind: "verify-email" | "reset-password" | "lookout-run";
  /** The link the mail carries. */
  url?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Mails "sent" by the log mailer outside production, newest last, so local tooling and tests can read them. */
export const localOutbox: Mail[] = [];
const OUTBOX_LIMIT = 200;

/** Local development: the mail goes to the log (and the local outbox), never to the network. */
export function createLogMailer(log: Logger): Mailer {
  return {
    async send(mail) {
      localOutbox.push(mail);
      if (localOutbox.length > OUTBOX_LIMIT) localOutbox.shift();
      log.info("mail.logged", { to: mail.to, subject: mail.subject, kind: mail.kind, url: mail.url });
    },
  };
}

/** Production: Resend's HTTP API, called with fetch. */
export function createResendMailer(options: {
  apiKey: string;
  from: string;
  log: Logger;
  fetch?: typeof fetch;
  endpoint?: string;
}): Mailer {
  const doFetch = options.fetch ?? fetch;
  const endpoint = options.endpoint ?? "https://api.resend.com/emails";
  return {
    async send(mail) {
      const response = await doFetch(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          from: options.from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 500);
        options.log.error("mail.failed", { status: response.status, kind: mail.kind, detail });
        throw new Error(`The email provider answered ${response.status}`);
      }
    },
  };
}

export function createMailer(
  config: { RESEND_API_KEY?: string; EMAIL_FROM?: string; MAIL_TRANSPORT?: "resend" | "log" },
  log: Logger,
): Mailer {
  const transport = config.MAIL_TRANSPORT ?? (config.RESEND_API_KEY ? "resend" : "log");
  if (transport === "resend" && config.RESEND_API_KEY) {
    return createResendMailer({
      apiKey: config.RESEND_API_KEY,
      from: config.EMAIL_FROM ?? "Mylo <hello@mylo.travel>",
      log,
    });
  }
  return createLogMailer(log);
}
