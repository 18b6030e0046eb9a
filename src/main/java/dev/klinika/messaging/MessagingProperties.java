package dev.klinika.messaging;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * How Klinika sends: the address patients' links start with, the link key, the outbox's
 * pace and the channels' peers. A channel without its settings is not used; with
 * {@code sandbox} (the default with the embedded database) every channel "sends" into the
 * messages screen only, so that the demo shows reminders without a provider.
 *
 * @param publicUrl where patients reach Klinika (confirm, cancel and unsubscribe links)
 * @param linkSecret the key that signs links; empty: one made at first start and kept in
 * the database
 * @param sandbox record messages as sent without a provider; unset: when the embedded
 * database is used
 * @param workers sending threads per node
 * @param batch messages one worker claims at a time
 * @param maxAttempts attempts before a message is left for a human
 * @param retryBase the first retry's delay, doubled on every further attempt
 * @param lease how long a claimed message is left to its worker before another may send
 * it
 */
@ConfigurationProperties("klinika.messaging")
record MessagingProperties(@Nullable String publicUrl, @Nullable String linkSecret, @Nullable Boolean sandbox,
		@Nullable Integer workers, @Nullable Integer batch, @Nullable Integer maxAttempts, @Nullable Duration retryBase,
		@Nullable Duration lease, @Nullable Smpp smpp, @Nullable SmsHttp smsHttp, @Nullable Telegram telegram,
		@Nullable Email email) {

	public MessagingProperties {
		publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://localhost:8080"
				: publicUrl.replaceAll("/+$", "");
		workers = workers == null ? 2 : Math.max(1, workers);
		batch = batch == null ? 20 : Math.max(1, batch);
		maxAttempts = maxAttempts == null ? 8 : Math.max(1, maxAttempts);
		retryBase = retryBase == null ? Duration.ofSeconds(30) : retryBase;
		lease = lease == null ? Duration.ofMinutes(5) : lease;
		smpp = smpp == null ? new Smpp(null, null, null, null, null, null, null, null) : smpp;
		smsHttp = smsHttp == null ? new SmsHttp(null, null, null, null, null, null) : smsHttp;
		telegram = telegram == null ? new Telegram(null, null, null, null, null, null) : telegram;
		email = email == null ? new Email(null) : email;
	}

	/**
	 * An SMSC reached over SMPP 3.4 (bound as a transceiver).
	 *
	 * @param host the SMSC; empty: SMPP is off
	 * @param ratePerSecond the provider's limit of submits per second
	 * @param sourceAddress the sender name or number
	 */
	public record Smpp(@Nullable String host, @Nullable Integer port, @Nullable String systemId,
			@Nullable String password, @Nullable String systemType, @Nullable String sourceAddress,
			@Nullable Integer ratePerSecond, @Nullable Duration timeout) {

		public Smpp {
			port = port == null ? 2775 : port;
			systemType = systemType == null ? "" : systemType;
			sourceAddress = sourceAddress == null || sourceAddress.isBlank() ? "Klinika" : sourceAddress;
			ratePerSecond = ratePerSecond == null ? 30 : Math.max(1, ratePerSecond);
			timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
		}

		public boolean enabled() {
			return this.host != null && !this.host.isBlank();
		}

	}

	/**
	 * An HTTP SMS gateway in SMS.ru's format.
	 *
	 * @param url the send address, e.g. {@code https://sms.ru/sms/send}; empty: off
	 * @param apiId the account's key
	 * @param from the sender name agreed with the gateway, if any
	 * @param callbackSecret the secret that status callbacks must carry in their address
	 * @param format {@code smsru} (default) or {@code generic}: a JSON POST
	 * {@code {"to","text","from","reference"}} with
	 * {@code Authorization: Bearer <apiId>}, answered by {@code {"id": "..."}}
	 */
	public record SmsHttp(@Nullable String url, @Nullable String apiId, @Nullable String from,
			@Nullable String callbackSecret, @Nullable Duration timeout, @Nullable String format) {

		@ConstructorBinding
		public SmsHttp {
			timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
			format = format == null || format.isBlank() ? "smsru" : format.strip().toLowerCase(java.util.Locale.ROOT);
		}

		public SmsHttp(@Nullable String url, @Nullable String apiId, @Nullable String from,
				@Nullable String callbackSecret, @Nullable Duration timeout) {
			this(url, apiId, from, callbackSecret, timeout, null);
		}

		/** A gateway that takes Klinika's own JSON instead of SMS.ru's form. */
		public boolean generic() {
			return "generic".equals(this.format);
		}

		public boolean enabled() {
			return this.url != null && !this.url.isBlank() && this.apiId != null && !this.apiId.isBlank();
		}

	}

	/**
	 * A Telegram bot.
	 *
	 * @param token the bot's token from BotFather; empty: off
	 * @param botName the bot's user name, for deep links (t.me/name?start=token)
	 * @param apiUrl the Bot API address (tests point it at a local server)
	 * @param webhookSecret what Telegram sends in X-Telegram-Bot-Api-Secret-Token
	 * @param polling ask Telegram for updates every 3 s instead of a webhook
	 */
	public record Telegram(@Nullable String token, @Nullable String botName, @Nullable String apiUrl,
			@Nullable String webhookSecret, @Nullable Duration timeout, @Nullable Boolean polling) {

		@ConstructorBinding
		public Telegram {
			apiUrl = apiUrl == null || apiUrl.isBlank() ? "https://api.telegram.org" : apiUrl.replaceAll("/+$", "");
			timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
			polling = polling != null && polling;
		}

		public Telegram(@Nullable String token, @Nullable String botName, @Nullable String apiUrl,
				@Nullable String webhookSecret, @Nullable Duration timeout) {
			this(token, botName, apiUrl, webhookSecret, timeout, null);
		}

		public boolean enabled() {
			return this.token != null && !this.token.isBlank();
		}

	}

	/**
	 * Email through the SMTP server of {@code spring.mail.*}, and patients' replies read
	 * from an IMAP mailbox.
	 *
	 * @param from the sender address; empty: email is off
	 * @param imapHost the mailbox replies arrive in; empty: replies are not read
	 * @param imapSsl IMAP over TLS (port 993) rather than plain IMAP (143)
	 */
	public record Email(@Nullable String from, @Nullable String imapHost, @Nullable Integer imapPort,
			@Nullable String imapUsername, @Nullable String imapPassword, @Nullable Boolean imapSsl) {

		@ConstructorBinding
		public Email {
			imapSsl = imapSsl == null || imapSsl;
			imapPort = imapPort == null ? (imapSsl ? 993 : 143) : imapPort;
		}

		public Email(@Nullable String from) {
			this(from, null, null, null, null, null);
		}

		public boolean enabled() {
			return this.from != null && !this.from.isBlank();
		}

		public boolean readsReplies() {
			return this.imapHost != null && !this.imapHost.isBlank();
		}

	}

}
