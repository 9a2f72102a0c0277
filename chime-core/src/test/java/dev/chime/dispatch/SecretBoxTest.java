package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.secret.SecretBox;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private final SecretBox box = SecretBox.of(SecretBox.newKey());

  @Test
  void aSealedValueOpensForItsContextAloneAndShowsNothingOfItsText() {
    String sealed = box.seal("Bearer s3cr3t-token", "target-header:default:authorization");

    assertThat(sealed).startsWith("v1." + box.keyId() + ".").doesNotContain("s3cr3t");
    assertThat(box.open(sealed, "target-header:default:authorization"))
        .isEqualTo("Bearer s3cr3t-token");
    assertThat(box.seal("Bearer s3cr3t-token", "x"))
        .isNotEqualTo(box.seal("Bearer s3cr3t-token", "x"));
    assertThatThrownBy(() -> box.open(sealed, "target-header:other:authorization"))
        .isInstanceOf(SecretBox.UnreadableSecret.class)
        .hasMessageContaining("sealed for another object");
  }

  @Test
  void anotherKeyIsNamedByItsIdAndAChangedValueDoesNotOpen() {
    SecretBox other = SecretBox.of(SecretBox.newKey());
    String sealed = box.seal("value", "c");

    assertThatThrownBy(() -> other.open(sealed, "c"))
        .hasMessageContaining("sealed with the secrets key " + box.keyId())
        .hasMessageContaining("this node has the key " + other.keyId());
    String changed =
        sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
    assertThatThrownBy(() -> box.open(changed, "c")).isInstanceOf(SecretBox.UnreadableSecret.class);
    assertThatThrownBy(() -> SecretBox.of(new byte[16])).hasMessageContaining("32 bytes");
    assertThat(box.toString()).isEqualTo("SecretBox[key " + box.keyId() + "]");
  }
}
