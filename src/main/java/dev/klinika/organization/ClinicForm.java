package dev.klinika.organization;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.klinika.shared.PhoneNumber;

/** The clinic settings form; Russian requisites are checked for their digit counts. */
class ClinicForm {

	@NotBlank(message = "{validation.required}")
	@Size(max = 200, message = "{validation.size.max}")
	private String name = "";

	@Size(max = 300, message = "{validation.size.max}")
	private @Nullable String legalName;

	@Pattern(regexp = "^$|\\d{10}|\\d{12}", message = "{validation.inn}")
	private @Nullable String inn;

	@Pattern(regexp = "^$|\\d{9}", message = "{validation.kpp}")
	private @Nullable String kpp;

	@Pattern(regexp = "^$|\\d{13}|\\d{15}", message = "{validation.ogrn}")
	private @Nullable String ogrn;

	@Size(max = 500, message = "{validation.size.max}")
	private @Nullable String legalAddress;

	@Size(max = 200, message = "{validation.size.max}")
	private @Nullable String bankName;

	@Pattern(regexp = "^$|\\d{9}", message = "{validation.bik}")
	private @Nullable String bik;

	@Pattern(regexp = "^$|\\d{20}", message = "{validation.account}")
	private @Nullable String bankAccount;

	@Pattern(regexp = "^$|\\d{20}", message = "{validation.account}")
	private @Nullable String correspondentAccount;

	private @Nullable String phone;

	@Email(message = "{validation.email}")
	@Size(max = 254, message = "{validation.size.max}")
	private @Nullable String email;

	@Size(max = 200, message = "{validation.size.max}")
	private @Nullable String website;

	@NotBlank(message = "{validation.required}")
	@Pattern(regexp = "[A-Z]{3}", message = "{validation.currency}")
	private String currency = "RUB";

	@Size(max = 50000, message = "{validation.size.max}")
	private @Nullable String privacyPolicy;

	private @Nullable Integer version;

	static ClinicForm of(Clinic clinic) {
		ClinicForm form = new ClinicForm();
		Clinic.LegalDetails legal = clinic.getLegal();
		form.name = clinic.getName();
		form.legalName = legal.legalName();
		form.inn = legal.inn();
		form.kpp = legal.kpp();
		form.ogrn = legal.ogrn();
		form.legalAddress = legal.legalAddress();
		form.bankName = legal.bankName();
		form.bik = legal.bik();
		form.bankAccount = legal.bankAccount();
		form.correspondentAccount = legal.correspondentAccount();
		form.phone = clinic.getPhone() == null ? null : new PhoneNumber(clinic.getPhone()).display();
		form.email = clinic.getEmail();
		form.website = clinic.getWebsite();
		form.privacyPolicy = clinic.getPrivacyPolicy().orElse(null);
		form.currency = clinic.getCurrency().getCurrencyCode();
		form.version = clinic.getVersion();
		return form;
	}

	Clinic.LegalDetails legal() {
		return new Clinic.LegalDetails(blankToNull(this.legalName), blankToNull(this.inn), blankToNull(this.kpp),
				blankToNull(this.ogrn), blankToNull(this.legalAddress), blankToNull(this.bankName),
				blankToNull(this.bik), blankToNull(this.bankAccount), blankToNull(this.correspondentAccount));
	}

	static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

	// Accessors for data binding.

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public @Nullable String getLegalName() {
		return this.legalName;
	}

	public void setLegalName(@Nullable String legalName) {
		this.legalName = legalName;
	}

	public @Nullable String getInn() {
		return this.inn;
	}

	public void setInn(@Nullable String inn) {
		this.inn = inn;
	}

	public @Nullable String getKpp() {
		return this.kpp;
	}

	public void setKpp(@Nullable String kpp) {
		this.kpp = kpp;
	}

	public @Nullable String getOgrn() {
		return this.ogrn;
	}

	public void setOgrn(@Nullable String ogrn) {
		this.ogrn = ogrn;
	}

	public @Nullable String getLegalAddress() {
		return this.legalAddress;
	}

	public void setLegalAddress(@Nullable String legalAddress) {
		this.legalAddress = legalAddress;
	}

	public @Nullable String getBankName() {
		return this.bankName;
	}

	public void setBankName(@Nullable String bankName) {
		this.bankName = bankName;
	}

	public @Nullable String getBik() {
		return this.bik;
	}

	public void setBik(@Nullable String bik) {
		this.bik = bik;
	}

	public @Nullable String getBankAccount() {
		return this.bankAccount;
	}

	public void setBankAccount(@Nullable String bankAccount) {
		this.bankAccount = bankAccount;
	}

	public @Nullable String getCorrespondentAccount() {
		return this.correspondentAccount;
	}

	public void setCorrespondentAccount(@Nullable String correspondentAccount) {
		this.correspondentAccount = correspondentAccount;
	}

	public @Nullable String getPhone() {
		return this.phone;
	}

	public void setPhone(@Nullable String phone) {
		this.phone = phone;
	}

	public @Nullable String getEmail() {
		return this.email;
	}

	public void setEmail(@Nullable String email) {
		this.email = email;
	}

	public @Nullable String getPrivacyPolicy() {
		return this.privacyPolicy;
	}

	public void setPrivacyPolicy(@Nullable String privacyPolicy) {
		this.privacyPolicy = privacyPolicy;
	}

	public @Nullable String getWebsite() {
		return this.website;
	}

	public void setWebsite(@Nullable String website) {
		this.website = website;
	}

	public String getCurrency() {
		return this.currency;
	}

	public void setCurrency(String currency) {
		this.currency = currency;
	}

	public @Nullable Integer getVersion() {
		return this.version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
