// Copied byte for byte from the shared webhook fixtures (the signatures below cover these exact strings),
// kept as TypeScript so the formatter never rewrites them.

/** Polar `subscription.active`, minified exactly as signed. */
export const polarSubscriptionActiveRaw =
  '{"type":"subscription.active","timestamp":"2025-01-01T00:00:00.123456Z","data":{"created_at":"2025-01-01T00:00:00.000000Z","modified_at":"2025-01-01T00:00:05.000000Z","id":"8f1b7c3e-2a4d-4f6b-9c1e-0d2a3b4c5d6e","amount":1500,"currency":"usd","recurring_interval":"month","recurring_interval_count":1,"status":"active","current_period_start":"2025-01-01T00:00:00.000000Z","current_period_end":"2025-02-01T00:00:00.000000Z","trial_start":null,"trial_end":null,"cancel_at_period_end":false,"canceled_at":null,"started_at":"2025-01-01T00:00:00.000000Z","ends_at":null,"ended_at":null,"customer_id":"3c9e5a11-7b2f-4e8d-a6c4-5f0e1d2c3b4a","product_id":"5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","discount_id":null,"checkout_id":"b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e","customer_cancellation_reason":null,"customer_cancellation_comment":null,"metadata":{},"custom_field_data":{},"customer":{"id":"3c9e5a11-7b2f-4e8d-a6c4-5f0e1d2c3b4a","created_at":"2024-12-31T23:59:00.000000Z","modified_at":null,"metadata":{},"external_id":"usr_8Kq2mX4vN7pR1tZ9","email":"alice@example.com","email_verified":true,"type":"individual","name":"Alice Example","billing_address":{"line1":null,"line2":null,"postal_code":null,"city":null,"state":null,"country":"US"},"tax_id":null,"locale":null,"organization_id":"0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b","default_payment_method_id":null,"deleted_at":null,"avatar_url":"https://www.gravatar.com/avatar/0?d=404"},"product":{"id":"5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","created_at":"2024-06-01T00:00:00.000000Z","modified_at":null,"trial_interval":null,"trial_interval_count":null,"name":"Pro","description":null,"visibility":"public","recurring_interval":"month","recurring_interval_count":1,"is_recurring":true,"is_archived":false,"organization_id":"0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b","metadata":{},"prices":[],"benefits":[],"medias":[],"attached_custom_fields":[]},"discount":null,"prices":[{"created_at":"2024-06-01T00:00:00.000000Z","modified_at":null,"id":"9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a","source":"catalog","amount_type":"fixed","price_currency":"usd","tax_behavior":null,"is_archived":false,"product_id":"5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","price_amount":1500}],"meters":[],"pending_update":null}}';

/** Dodo Payments `payment.succeeded`, minified exactly as signed. */
export const dodoPaymentSucceededRaw =
  '{"business_id":"bus_6hTq2WnR8yLm3KpX","type":"payment.succeeded","timestamp":"2025-01-01T00:00:00.500000Z","data":{"payload_type":"Payment","payment_id":"pay_2Xk9Lm4Qp7Rs1Tv8","brand_id":"bus_6hTq2WnR8yLm3KpX","business_id":"bus_6hTq2WnR8yLm3KpX","billing":{"city":"Bengaluru","country":"IN","state":"Karnataka","street":"1 MG Road","zipcode":"560001"},"card_holder_name":null,"card_issuing_country":"IN","card_last_four":"4242","card_network":"VISA","card_type":"CREDIT","checkout_session_id":null,"created_at":"2025-01-01T00:00:00.000000Z","currency":"INR","custom_field_responses":null,"customer":{"customer_id":"cus_7Yh3Jk5Lm9Np2Qr4","email":"alice@example.com","name":"Alice Example","metadata":{},"phone_number":null},"digital_products_delivered":false,"discount_id":null,"disputes":[],"error_code":null,"error_message":null,"invoice_id":null,"invoice_url":null,"is_update_payment_method":false,"metadata":{},"payment_link":"https://test.checkout.dodopayments.com/abc123","payment_method":"card","payment_method_type":"visa","payment_provider":"dodo","product_cart":null,"refund_status":null,"refunds":[],"retry_attempt":0,"settlement_amount":1770,"settlement_currency":"USD","settlement_tax":270,"status":"succeeded","subscription_id":"sub_4Fg6Hj8Kl0Mn2Pq5","tax":22866,"total_amount":149900,"updated_at":"2025-01-01T00:00:02.000000Z"}}';

/** Standard Webhooks test vectors: the official ones, their negative cases, and ones derived for Polar/Dodo. */
export const vectors = {
  source:
    "standard-webhooks/standard-webhooks @ b2fa7b8 (libraries/*/tests); derived entries computed locally with HMAC-SHA256 and cross-checked with Node crypto",
  official: [
    {
      name: "sign-function (js/python/ruby/php/csharp tests)",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      msg_id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      payload: '{"test": 2432232314}',
      expected: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    },
    {
      name: "rust test_sign",
      secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
      msg_id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
      timestamp: 1649367553,
      payload: '{"email":"test@example.com","username":"test_user"}',
      expected: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    },
  ],
  official_negative: {
    invalid_signatures: [
      "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
      "v1,dawfeoifkpqwoekfpqoekf",
      "v1,",
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
      "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=",
    ],
    multi_sig_header_template:
      "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= <VALID> v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    empty_secrets_rejected: ["", "whsec_"],
    tolerance_seconds: 300,
  },
  derived: [
    {
      name: "polar-legacy (key = UTF-8 bytes of full secret string)",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      msg_id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      payload: '{"test": 2432232314}',
      expected: "v1,TcxlhK9b6UD6iVI1ZU2tTqp8PEVfYRseNNfa6b+LcUg=",
    },
    {
      name: "polar-legacy, polar-js test secret",
      secret: "TestSecret",
      msg_id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      payload: '{"test": 2432232314}',
      expected: "v1,IndkXF4HBWQYK2YG7BqLXfBlw2jvbpFPdDYYbpo6Wio=",
    },
    {
      name: "polar subscription.active fixture, standard key",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      msg_id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
      timestamp: 1735689600,
      payload_file: "polar-subscription-active.min.json",
      payload_sha256: "08c4e13a86a90e9471c6e2e98dcdc7e298063be49a9c6c6909c2a3bdbf487283",
      expected: "v1,aWskQS7AqzRCtsCSpmstGF12aCYzi8KECLxVhDDaEGo=",
      expected_polar_legacy_utf8_key: "v1,G5Q8IMxflrm76NocecnddpTEHVAJ3fr35S+U88jyEwQ=",
    },
    {
      name: "dodo payment.succeeded fixture, standard key",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      msg_id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4X",
      timestamp: 1735689600,
      payload_file: "dodo-payment-succeeded.min.json",
      payload_sha256: "ceb7ce5b7776ee17ef0a764fe1ca8581d74f97a133e0e96bf14f1f60606e88e0",
      expected: "v1,geZAkcHkLdHUshxNW0tc0LnCSeWyQzsXfpNgAvcvkFA=",
    },
  ],
} as const;
