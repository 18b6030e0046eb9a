package dev.klinika.messaging;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import java.util.List;

/**
 * Email through the SMTP server of {@code spring.mail.*}: a text and an HTML part in
 * UTF-8 (Cyrillic subjects encoded as RFC 2047 words), from
 * {@code klinika.messaging.email.from}. The provider id is the Message-ID, which replies
 * quote.
 */
@Component
class EmailSender implements Sender {

	private final MessagingProperties.Email settings;

	private final ObjectProvider<JavaMailSender> mail;

	EmailSender(MessagingProperties properties, ObjectProvider<JavaMailSender> mail) {
		this.settings = properties.email();
		this.mail = mail;
	}

	@Override
	public ChannelKind channel() {
		return ChannelKind.EMAIL;
	}

	@Override
	public boolean ready() {
		return this.settings.enabled() && this.mail.getIfAvailable() != null;
	}

	@Override
	public Accepted send(Outgoing message) throws SendFailure {
		JavaMailSender sender = this.mail.getObject();
		try {
			MimeMessage mime = sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
			helper.setFrom(this.settings.from());
			helper.setTo(message.recipient());
			helper.setSubject(message.subject() == null ? "" : message.subject());
			helper.setText(message.body(), html(message.body()));
			sender.send(mime);
			String id = mime.getMessageID();
			return new Accepted(List.of(id == null ? "email-" + message.id() : id));
		}
		catch (MessagingException ex) {
			throw new SendFailure("EMAIL_INVALID " + ex.getMessage(), true);
		}
		catch (MailSendException ex) {
			boolean refused = ex.getFailedMessages()
				.values()
				.stream()
				.anyMatch(cause -> cause instanceof SendFailedException failed && failed.getInvalidAddresses() != null
						&& failed.getInvalidAddresses().length > 0);
			throw new SendFailure("EMAIL_" + (refused ? "REFUSED " : "FAILED ") + ex.getMessage(), refused);
		}
		catch (MailAuthenticationException ex) {
			throw new SendFailure("EMAIL_AUTHENTICATION", false);
		}
		catch (MailException ex) {
			throw new SendFailure("EMAIL_FAILED " + ex.getMessage(), false);
		}
	}

	/** The text as HTML: escaped, links clickable, lines kept. */
	static String html(String text) {
		String escaped = HtmlUtils.htmlEscape(text);
		String linked = escaped.replaceAll("(https?://[^\\s<]+)", "<a href=\"$1\">$1</a>");
		return "<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\"><p>"
				+ linked.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p></body></html>";
	}

}
