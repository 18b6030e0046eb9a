package dev.klinika.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.bucket4j.Bucket;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * SMS over SMPP 3.4: one transceiver session per node, opened on the first message and
 * again after it drops; GSM 7-bit or UCS-2, long texts in UDH parts; submits paced to the
 * provider's rate; delivery receipts and patients' replies arrive on the same session.
 */
@Component
class SmppSender implements Sender, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SmppSender.class);

	private final MessagingProperties.Smpp settings;

	private final Outbox outbox;

	private final Inbox inbox;

	private final Bucket rate;

	private volatile @Nullable SMPPSession session;

	/** The threads waiting on a submit, and the session each waits on. */
	private final java.util.Map<Thread, SMPPSession> submitting = new java.util.HashMap<>();

	SmppSender(MessagingProperties properties, Outbox outbox, Inbox inbox) {
		this.settings = properties.smpp();
		this.outbox = outbox;
		this.inbox = inbox;
		int perSecond = this.settings.ratePerSecond();
		this.rate = Bucket.builder()
			.addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
			.build();
	}

	@Override
	public ChannelKind channel() {
		return ChannelKind.SMS;
	}

	@Override
	public boolean ready() {
		return this.settings.enabled();
	}

	@Override
	public Accepted send(Outgoing message) throws SendFailure {
		String text = message.body();
		SmsText.Encoding encoding = SmsText.encodingOf(text);
		List<byte[]> payloads = SmsText.payloads(text, ThreadLocalRandom.current().nextInt(256));
		DataCoding coding = new GeneralDataCoding(
				encoding == SmsText.Encoding.GSM7 ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2);
		ESMClass esm = payloads.size() > 1
				? new ESMClass(MessageMode.DEFAULT, MessageType.DEFAULT, GSMSpecificFeature.UDHI) : new ESMClass();
		String destination = message.recipient().startsWith("+") ? message.recipient().substring(1)
				: message.recipient();
		boolean alphanumeric = !this.settings.sourceAddress().matches("\\+?\\d+");
		List<String> ids = new ArrayList<>(payloads.size());
		SMPPSession current = session();
		Thread me = Thread.currentThread();
		synchronized (this.submitting) {
			this.submitting.put(me, current);
		}
		try {
			for (byte[] payload : payloads) {
				this.rate.asBlocking().consume(1);
				var result = current.submitShortMessage("",
						alphanumeric ? TypeOfNumber.ALPHANUMERIC : TypeOfNumber.INTERNATIONAL,
						alphanumeric ? NumberingPlanIndicator.UNKNOWN : NumberingPlanIndicator.ISDN,
						this.settings.sourceAddress().replace("+", ""), TypeOfNumber.INTERNATIONAL,
						NumberingPlanIndicator.ISDN, destination, esm, (byte) 0, (byte) 1, null, null,
						new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, coding, (byte) 0,
						payload);
				ids.add(result.getMessageId());
			}
			return new Accepted(ids);
		}
		catch (NegativeResponseException ex) {
			int status = ex.getCommandStatus();
			if (status == SMPPConstant.STAT_ESME_RTHROTTLED || status == SMPPConstant.STAT_ESME_RMSGQFUL) {
				throw new SendFailure("SMPP_THROTTLED", false);
			}
			boolean badNumber = status == SMPPConstant.STAT_ESME_RINVDSTADR
					|| status == SMPPConstant.STAT_ESME_RINVDSTTON || status == SMPPConstant.STAT_ESME_RINVDSTNPI;
			throw new SendFailure(
					(badNumber ? "SMPP_INVALID_NUMBER" : "SMPP_REFUSED") + String.format(" 0x%02X", status), badNumber);
		}
		catch (ResponseTimeoutException | IOException | PDUException | InvalidResponseException ex) {
			drop(current);
			throw new SendFailure("SMPP_UNREACHABLE " + ex.getClass().getSimpleName() + ": " + ex.getMessage(), false);
		}
		catch (InterruptedException ex) {
			if (!current.getSessionState().isBound()) {
				// Woken by the link closing (see closed()), not asked to stop.
				throw new SendFailure("SMPP_UNREACHABLE the link closed while waiting for the SMSC", false);
			}
			Thread.currentThread().interrupt();
			throw new SendFailure("SMPP_INTERRUPTED", false);
		}
		finally {
			synchronized (this.submitting) {
				this.submitting.remove(me);
				if (!current.getSessionState().isBound()) {
					// A wake-up that came after the answer is not for the next message.
					Thread.interrupted();
				}
			}
		}
	}

	/**
	 * The link closed (the SMSC restarted, the network dropped): the session is dropped
	 * at once, so the next message binds a new one, and a submit waiting on it for an
	 * answer that cannot come is woken now, instead of after the submit timeout, and
	 * retried.
	 */
	private void closed(SMPPSession session) {
		drop(session);
		synchronized (this.submitting) {
			this.submitting.forEach((thread, on) -> {
				if (on == session) {
					thread.interrupt();
				}
			});
		}
	}

	private SMPPSession session() throws SendFailure {
		SMPPSession current = this.session;
		if (current != null && current.getSessionState().isBound()) {
			return current;
		}
		synchronized (this) {
			current = this.session;
			if (current != null && current.getSessionState().isBound()) {
				return current;
			}
			if (current != null) {
				current.unbindAndClose();
			}
			SMPPSession fresh = new SMPPSession();
			fresh.setTransactionTimer(this.settings.timeout().toMillis());
			fresh.setEnquireLinkTimer(30_000);
			fresh.setMessageReceiverListener(new Receiver());
			fresh.addSessionStateListener((now, before, source) -> {
				if (before.isBound() && !now.isBound()) {
					log.warn("SMPP session to {}:{} closed ({} → {})", this.settings.host(), this.settings.port(),
							before, now);
					closed(fresh);
				}
			});
			try {
				fresh.connectAndBind(this.settings.host(), this.settings.port(),
						new BindParameter(BindType.BIND_TRX, this.settings.systemId(), this.settings.password(),
								this.settings.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
						this.settings.timeout().toMillis());
			}
			catch (IOException ex) {
				fresh.unbindAndClose();
				throw new SendFailure("SMPP_BIND_FAILED " + ex.getMessage(), false);
			}
			log.info("SMPP session bound to {}:{}", this.settings.host(), this.settings.port());
			this.session = fresh;
			return fresh;
		}
	}

	private synchronized void drop(SMPPSession broken) {
		if (this.session == broken) {
			this.session = null;
			broken.unbindAndClose();
		}
	}

	@Override
	public void destroy() {
		SMPPSession current = this.session;
		this.session = null;
		if (current != null) {
			current.unbindAndClose();
		}
	}

	/** Receipts and replies the SMSC delivers on the session. */
	private final class Receiver implements MessageReceiverListener {

		@Override
		public void onAcceptDeliverSm(DeliverSm deliver) throws ProcessRequestException {
			try {
				if (MessageType.SMSC_DEL_RECEIPT.containedIn(deliver.getEsmClass())) {
					DeliveryReceipt receipt = deliver.getShortMessageAsDeliveryReceipt();
					DeliveryReceiptState state = receipt.getFinalStatus();
					boolean delivered = state == DeliveryReceiptState.DELIVRD;
					if (delivered || state == DeliveryReceiptState.UNDELIV || state == DeliveryReceiptState.REJECTD
							|| state == DeliveryReceiptState.EXPIRED || state == DeliveryReceiptState.DELETED) {
						SmppSender.this.outbox.receipt(ChannelKind.SMS, receipt.getId(), delivered,
								delivered ? null : state + " " + receipt.getError());
					}
					return;
				}
				byte[] raw = deliver.getShortMessage() == null ? new byte[0] : deliver.getShortMessage();
				String text = isUcs2(deliver.getDataCoding()) ? new String(raw, StandardCharsets.UTF_16BE)
						: SmsText.decodeGsm(raw);
				String sender = "+" + deliver.getSourceAddr();
				SmppSender.this.inbox.receive(ChannelKind.SMS,
						"smpp:" + sender + ":" + deliver.getSequenceNumber() + ":" + Inbox.sha(text), sender, text,
						null);
			}
			catch (InvalidDeliveryReceiptException ex) {
				log.warn("An SMPP delivery receipt could not be read: {}", ex.getMessage());
			}
			catch (RuntimeException ex) {
				// The SMSC delivers again when we answer with an error; nothing is lost.
				log.warn("An SMPP deliver_sm could not be stored: {}", ex.getMessage());
				throw new ProcessRequestException("not stored", SMPPConstant.STAT_ESME_RSYSERR);
			}
		}

		/** UCS-2 in the general data coding group (0x08, with or without a class). */
		private boolean isUcs2(byte coding) {
			return (coding & 0xC0) == 0 && (coding & 0x0C) == 0x08;
		}

		@Override
		public void onAcceptAlertNotification(AlertNotification notification) {
		}

		@Override
		public DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm data, Session source) throws ProcessRequestException {
			throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
		}

	}

}
