package dev.klinika.messaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageClass;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

/**
 * An SMSC in the JVM, built on jSMPP's server session: binds clients, accepts
 * {@code submit_sm} (recording what it got), answers with ids, sends delivery receipts,
 * and can refuse submits with {@code ESME_RTHROTTLED} or deliver a patient's reply.
 */
final class SmscSimulator implements AutoCloseable {

	/** A short message as the SMSC received it. */
	record Received(String id, String destination, byte[] payload, byte esmClass, byte dataCoding) {

		boolean udh() {
			return (this.esmClass & 0x40) != 0;
		}

		String text() {
			int from = udh() ? 6 : 0;
			return (this.dataCoding & 0x0F) == 0x08
					? new String(this.payload, from, this.payload.length - from, StandardCharsets.UTF_16BE)
					: SmsText.decodeGsm(java.util.Arrays.copyOfRange(this.payload, from, this.payload.length));
		}

	}

	/**
	 * Everything accepted (a queue: a copy-on-write list made the benchmark quadratic).
	 */
	final java.util.Queue<Received> received = new java.util.concurrent.ConcurrentLinkedQueue<>();

	final AtomicInteger accepted = new AtomicInteger();

	final AtomicInteger throttled = new AtomicInteger();

	private final SMPPServerSessionListener listener;

	private final int port;

	private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private final AtomicLong ids = new AtomicLong(1_000_000);

	private volatile Predicate<SubmitSm> throttle = submit -> false;

	private volatile boolean receipts = true;

	private volatile String refused;

	private volatile boolean running = true;

	SmscSimulator() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			this.port = probe.getLocalPort();
		}
		this.listener = new SMPPServerSessionListener(this.port);
		this.listener.setPduProcessorDegree(4);
		this.workers.submit(this::acceptLoop);
	}

	int port() {
		return this.port;
	}

	/** Refuses the submits the predicate picks with ESME_RTHROTTLED. */
	void throttle(Predicate<SubmitSm> which) {
		this.throttle = which;
	}

	/**
	 * Refuses submits to this number (digits only) as an invalid destination; null: none.
	 */
	void refuse(String number) {
		this.refused = number;
	}

	void receipts(boolean on) {
		this.receipts = on;
	}

	private void acceptLoop() {
		while (this.running) {
			try {
				SMPPServerSession session = this.listener.accept();
				session.setMessageReceiverListener(new Handler());
				this.sessions.add(session);
				this.workers.submit(() -> {
					try {
						session.waitForBind(5_000).accept("smsc");
					}
					catch (Exception ex) {
						session.close();
					}
				});
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/**
	 * Cuts the link when a submit to this number (digits only) arrives, before answering
	 * it, once; null: never.
	 */
	void hangUpOn(String number) {
		this.hangUp = number;
	}

	private volatile String hangUp;

	/** Cuts every client's link, as an SMSC restart would. */
	void dropSessions() {
		for (SMPPServerSession session : this.sessions) {
			session.close();
		}
		this.sessions.clear();
	}

	/** A patient's SMS to the clinic, delivered on every bound session. */
	void deliverFromPatient(String from, String text) throws Exception {
		boolean gsm = SmsText.encodingOf(text) == SmsText.Encoding.GSM7;
		byte[] bytes = SmsText.encode(text, SmsText.encodingOf(text));
		for (SMPPServerSession session : this.sessions) {
			if (session.getSessionState().isBound()) {
				session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
						from.replace("+", ""), TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Klinika",
						new ESMClass(), (byte) 0, (byte) 0, new RegisteredDelivery(0), new GeneralDataCoding(
								gsm ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2, MessageClass.CLASS1, false),
						bytes);
				return;
			}
		}
		throw new IllegalStateException("No bound session");
	}

	private void receipt(SMPPServerSession session, Received message) {
		try {
			Date now = new Date();
			DeliveryReceipt receipt = new DeliveryReceipt(message.id(), 1, 1, now, now, DeliveryReceiptState.DELIVRD,
					"000", "");
			session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
					message.destination(), TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Klinika",
					new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
					(byte) 0, (byte) 0, new RegisteredDelivery(0), GeneralDataCoding.DEFAULT,
					receipt.toString().getBytes(StandardCharsets.US_ASCII));
		}
		catch (Exception ex) {
			// a client gone meanwhile: its receipt is lost, as with a real SMSC
		}
	}

	@Override
	public void close() throws Exception {
		this.running = false;
		for (SMPPServerSession session : this.sessions) {
			session.close();
		}
		this.listener.close();
		this.workers.shutdownNow();
		this.workers.awaitTermination(5, TimeUnit.SECONDS);
	}

	private final class Handler implements ServerMessageReceiverListener {

		@Override
		public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source)
				throws ProcessRequestException {
			if (SmscSimulator.this.throttle.test(submit)) {
				SmscSimulator.this.throttled.incrementAndGet();
				throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
			}
			if (submit.getDestAddress().equals(SmscSimulator.this.hangUp)) {
				SmscSimulator.this.hangUp = null;
				source.close();
				throw new ProcessRequestException("hung up", SMPPConstant.STAT_ESME_RSYSERR);
			}
			if (submit.getDestAddress().equals(SmscSimulator.this.refused)) {
				throw new ProcessRequestException("invalid destination", SMPPConstant.STAT_ESME_RINVDSTADR);
			}
			String id = Long.toString(SmscSimulator.this.ids.incrementAndGet());
			Received message = new Received(id, submit.getDestAddress(), submit.getShortMessage(), submit.getEsmClass(),
					submit.getDataCoding());
			SmscSimulator.this.received.add(message);
			SmscSimulator.this.accepted.incrementAndGet();
			if (SmscSimulator.this.receipts) {
				SmscSimulator.this.workers.submit(() -> receipt(source, message));
			}
			try {
				return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
			}
			catch (PDUStringException ex) {
				throw new ProcessRequestException("id", SMPPConstant.STAT_ESME_RSYSERR);
			}
		}

		@Override
		public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submit, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public QuerySmResult onAcceptQuerySm(QuerySm query, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptReplaceSm(ReplaceSm replace, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptCancelSm(CancelSm cancel, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcast, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancel, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm query, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public DataSmResult onAcceptDataSm(DataSm data, Session source) throws ProcessRequestException {
			throw new ProcessRequestException("no", SMPPConstant.STAT_ESME_RINVCMDID);
		}

	}

}
