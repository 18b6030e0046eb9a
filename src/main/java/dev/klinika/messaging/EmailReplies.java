package dev.klinika.messaging;

import java.io.IOException;
import java.util.Optional;
import java.util.Properties;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Patients' email replies: every 30 seconds one node reads the unseen messages of the
 * clinic's IMAP mailbox into the inbox (once per Message-ID, so a message read twice is
 * kept once) and marks them seen. Quoted lines of the clinic's own letter are left out.
 */
@Component
class EmailReplies {

	private static final Logger log = LoggerFactory.getLogger(EmailReplies.class);

	/** Where a reply goes: the inbox, or a test's list. */
	interface Receiver {

		Optional<Long> receive(ChannelKind channel, String eventId, String sender, String text, @Nullable Long patient);

	}

	private final MessagingProperties.Email settings;

	private final Receiver receiver;

	@org.springframework.beans.factory.annotation.Autowired
	EmailReplies(MessagingProperties properties, Inbox inbox) {
		this(properties.email(), inbox::receive);
	}

	EmailReplies(MessagingProperties.Email settings, Receiver receiver) {
		this.settings = settings;
		this.receiver = receiver;
	}

	@Bean
	static RecurringTask<Void> emailRepliesJob(EmailReplies replies) {
		return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("email-replies", FixedDelay.ofSeconds(30))
			.execute((instance, context) -> replies.poll());
	}

	/** Reads the unseen replies; returns how many were new to the inbox. */
	int poll() {
		if (!this.settings.readsReplies()) {
			return 0;
		}
		Properties properties = new Properties();
		String protocol = this.settings.imapSsl() ? "imaps" : "imap";
		properties.put("mail.store.protocol", protocol);
		properties.put("mail." + protocol + ".connectiontimeout", "10000");
		properties.put("mail." + protocol + ".timeout", "20000");
		int added = 0;
		try {
			Store store = Session.getInstance(properties).getStore(protocol);
			store.connect(this.settings.imapHost(), this.settings.imapPort(), this.settings.imapUsername(),
					this.settings.imapPassword());
			try {
				Folder folder = store.getFolder("INBOX");
				folder.open(Folder.READ_WRITE);
				try {
					for (Message message : folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))) {
						if (take(message)) {
							added++;
						}
						message.setFlag(Flags.Flag.SEEN, true);
					}
				}
				finally {
					folder.close(false);
				}
			}
			finally {
				store.close();
			}
		}
		catch (MessagingException | IOException ex) {
			log.warn("Reading email replies failed, trying again in 30 s: {}", ex.getMessage());
		}
		return added;
	}

	private boolean take(Message message) throws MessagingException, IOException {
		Address[] from = message.getFrom();
		if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress address)) {
			return false;
		}
		String id = message instanceof MimeMessage mime && mime.getMessageID() != null ? mime.getMessageID()
				: address.getAddress() + ":" + message.getSentDate() + ":" + message.getSubject();
		String text = unquoted(textOf(message));
		if (text.isBlank()) {
			text = message.getSubject() == null ? "" : message.getSubject();
		}
		return this.receiver.receive(ChannelKind.EMAIL, "email:" + id, address.getAddress(), text.strip(), null)
			.isPresent();
	}

	/** The plain text of a message, or of its first plain part. */
	static String textOf(Part part) throws MessagingException, IOException {
		if (part.isMimeType("text/plain")) {
			return String.valueOf(part.getContent());
		}
		if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				String text = textOf(multipart.getBodyPart(i));
				if (!text.isEmpty()) {
					return text;
				}
			}
		}
		if (part.isMimeType("text/html")) {
			return String.valueOf(part.getContent()).replaceAll("(?s)<[^>]*>", " ").replaceAll("[ \\t]+", " ");
		}
		return "";
	}

	/** The reply without the quoted letter under it. */
	static String unquoted(String text) {
		StringBuilder out = new StringBuilder();
		for (String line : text.split("\\r?\\n")) {
			if (line.startsWith(">") || line.matches("(?i)^-{2,}\\s*(original message|исходное сообщение).*")) {
				break;
			}
			out.append(line).append('\n');
		}
		return out.toString().replaceAll("(?s)\\n*(On .{5,120} wrote:|.{5,120} пишет:)\\s*$", "").strip();
	}

}
