package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Channel;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends e-mail channels over SMTP: one plain-text mail per batch of alerts to the channel's
 * recipients. {@code starttls} (the default) requires STARTTLS before the password goes out; {@code
 * tls} speaks TLS from the start (port 465); {@code none} is for a relay on a trusted network.
 */
final class EmailChannels {
  private static final String TIMEOUT_MS = Long.toString(HttpChannels.TIMEOUT.toMillis());

  String send(Channel channel, JsonNode secret, List<ObjectNode> messages, Instant now)
      throws DeliveryFailure {
    ObjectNode settings = ChannelJson.settings(channel);
    JsonNode smtp = settings.path("smtp");
    String security = smtp.path("security").asText("starttls");
    Properties properties = new Properties();
    String protocol = security.equals("tls") ? "smtps" : "smtp";
    String prefix = "mail." + protocol + ".";
    properties.put("mail.transport.protocol", protocol);
    properties.put(prefix + "host", smtp.path("host").asText());
    properties.put(prefix + "port", smtp.path("port").asText());
    properties.put(prefix + "connectiontimeout", TIMEOUT_MS);
    properties.put(prefix + "timeout", TIMEOUT_MS);
    properties.put(prefix + "writetimeout", TIMEOUT_MS);
    boolean auth = smtp.hasNonNull("user");
    properties.put(prefix + "auth", Boolean.toString(auth));
    if (security.equals("starttls")) {
      properties.put(prefix + "starttls.enable", "true");
      properties.put(prefix + "starttls.required", "true");
    }
    if (!security.equals("none")) {
      properties.put(prefix + "ssl.checkserveridentity", "true");
    }
    Session session = Session.getInstance(properties);
    try {
      MimeMessage mail = new MimeMessage(session);
      mail.setFrom(new InternetAddress(settings.path("from").asText()));
      for (JsonNode to : settings.path("to")) {
        mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to.asText()));
      }
      mail.setSubject(subject(messages), "UTF-8");
      mail.setText(body(messages), "UTF-8");
      mail.setSentDate(Date.from(now));
      try (Transport transport = session.getTransport(protocol)) {
        if (auth) {
          transport.connect(smtp.path("user").asText(), secret.path("password").asText());
        } else {
          transport.connect();
        }
        transport.sendMessage(mail, mail.getAllRecipients());
      }
      return "sent to " + settings.path("to").size() + " recipient(s)";
    } catch (AuthenticationFailedException e) {
      throw new DeliveryFailure("the SMTP server refused the user and password", false);
    } catch (SendFailedException e) {
      throw new DeliveryFailure(
          "the SMTP server refused the mail: " + oneLine(e.getMessage()), false);
    } catch (MessagingException e) {
      throw new DeliveryFailure("SMTP failed: " + oneLine(e.getMessage()), true);
    }
  }

  static String subject(List<ObjectNode> messages) {
    String first = messages.get(0).path("title").asText();
    return messages.size() == 1
        ? "[Chime] " + first
        : "[Chime] "
            + messages.size()
            + " alerts: "
            + first
            + " and "
            + (messages.size() - 1)
            + " more";
  }

  static String body(List<ObjectNode> messages) {
    StringBuilder text = new StringBuilder();
    for (ObjectNode message : messages) {
      text.append(message.path("title").asText()).append("\n\n");
      text.append(message.path("text").asText()).append("\n");
      Links.of(message)
          .forEach((name, url) -> text.append('\n').append(name).append(": ").append(url));
      text.append("\n\n");
    }
    return text.append("-- \nSent by Chime\n").toString();
  }

  private static String oneLine(String text) {
    return text == null ? "no reason given" : text.replaceAll("\\s+", " ").strip();
  }
}
