package dev.klinika.organization;

import java.util.Currency;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;

/** The clinic that runs this installation, with the legal details its documents print. */
public class Clinic {

	private @Id Long id;

	private String name;

	@Embedded.Empty
	private LegalDetails legal;

	private @Nullable String phone;

	private @Nullable String email;

	private @Nullable String website;

	private String currency;

	private @Nullable String privacyPolicy;

	private @Version @Nullable Integer version;

	@PersistenceCreator
	Clinic(Long id, String name, LegalDetails legal, @Nullable String phone, @Nullable String email,
			@Nullable String website, String currency, @Nullable String privacyPolicy, @Nullable Integer version) {
		this.id = id;
		this.name = name;
		this.legal = legal;
		this.phone = phone;
		this.email = email;
		this.website = website;
		this.currency = currency.trim();
		this.privacyPolicy = privacyPolicy;
		this.version = version;
	}

	public String getName() {
		return this.name;
	}

	public LegalDetails getLegal() {
		return this.legal;
	}

	public @Nullable String getPhone() {
		return this.phone;
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public @Nullable String getWebsite() {
		return this.website;
	}

	public Currency getCurrency() {
		return Currency.getInstance(this.currency);
	}

	/** The clinic's own privacy policy text, or empty for the standard one. */
	public java.util.Optional<String> getPrivacyPolicy() {
		return java.util.Optional.ofNullable(this.privacyPolicy).filter(text -> !text.isBlank());
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	void describe(String name, LegalDetails legal, @Nullable String phone, @Nullable String email,
			@Nullable String website, Currency currency, @Nullable String privacyPolicy) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A clinic needs a name");
		}
		this.name = name.trim();
		this.legal = legal;
		this.phone = phone;
		this.email = email;
		this.website = website;
		this.currency = currency.getCurrencyCode();
		this.privacyPolicy = privacyPolicy == null || privacyPolicy.isBlank() ? null : privacyPolicy.strip();
	}

	/**
	 * What contracts and receipts print about the clinic as a legal entity (Russian
	 * requisites).
	 */
	public record LegalDetails(@Nullable String legalName, @Nullable String inn, @Nullable String kpp,
			@Nullable String ogrn, @Nullable String legalAddress, @Nullable String bankName, @Nullable String bik,
			@Nullable String bankAccount, @Nullable String correspondentAccount) {
	}

}
