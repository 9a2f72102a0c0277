package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chime's signatures against the Standard Webhooks reference: its published test vector, and its
 * Java library as an independent verifier.
 */
class WebhookSignatureTest {
  @Test
  void theSpecificationsTestVectorSignsAsTheReferenceDoes() {
    // the vector of the reference libraries' tests (standard-webhooks, libraries/*/tests)
    WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    String signature =
        WebhookSignature.sign(
            secret,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void theReferenceLibraryVerifiesEachOfTwoSecretsSigningAtOnce() throws Exception {
    WebhookSecret old = WebhookSecret.generate();
    WebhookSecret next = WebhookSecret.generate();
    String body = "{\"report\":\"daily\",\"name\":\"Grüße ☃\"}";
    long now = Instant.now().getEpochSecond();

    Map<String, String> headers =
        WebhookSignature.headers(
            List.of(old, next), "msg_abc", now, body.getBytes(StandardCharsets.UTF_8));

    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2);
    Map<String, List<String>> asReceived =
        Map.of(
            "webhook-id", List.of(headers.get("webhook-id")),
            "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
            "webhook-signature", List.of(headers.get("webhook-signature")));
    new Webhook(old.text()).verify(body, asReceived);
    new Webhook(next.text()).verify(body, asReceived);
    assertThatThrownBy(() -> new Webhook(WebhookSecret.generate().text()).verify(body, asReceived))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(next.text()).verify(body + " ", asReceived))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void aSecretIsWhsecAndTheBase64OfThirtyTwoRandomBytesAndIsShownMasked() {
    WebhookSecret secret = WebhookSecret.generate();

    assertThat(secret.text()).startsWith("whsec_").hasSize("whsec_".length() + 44);
    assertThat(WebhookSecret.parse(secret.text()).text()).isEqualTo(secret.text());
    assertThat(secret.masked()).isEqualTo("whsec_****" + secret.text().substring(46));
    assertThat(secret.toString()).doesNotContain(secret.text().substring(6, 40));
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ="))
        .hasMessageContaining("24 to 64 bytes");
  }

  @Test
  void theMessageIdIsTheSameForEveryAttemptAtAnInstantAndHoldsNoDot() {
    String runKey = "3f1c2d4e-0000-4000-8000-000000000001@2026-11-30T09:00:00.123456Z";

    String id = WebhookSignature.messageId(runKey);

    assertThat(id).startsWith("msg_").doesNotContain(".");
    assertThat(WebhookSignature.messageId(runKey)).isEqualTo(id);
    assertThat(WebhookSignature.messageId(runKey.replace(".123456", ".123457"))).isNotEqualTo(id);
  }
}
