package dev.klinika.organization;

import java.util.concurrent.TimeUnit;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * The clinic's logo, public (the booking pages show it): cached for a day and revalidated
 * by its time, the link changes when it does; 404 when the clinic has none.
 */
@RestController
class ClinicLogoImage {

	private final ClinicLogo logo;

	ClinicLogoImage(ClinicLogo logo) {
		this.logo = logo;
	}

	@GetMapping("/logo")
	ResponseEntity<byte[]> logo(WebRequest request) {
		var picture = this.logo.current().orElseThrow(() -> new java.util.NoSuchElementException("No logo"));
		if (request.checkNotModified(picture.updatedAt().toEpochMilli())) {
			return ResponseEntity.status(304).build();
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(picture.contentType()))
			.cacheControl(CacheControl.maxAge(1, TimeUnit.DAYS).cachePublic())
			.lastModified(picture.updatedAt())
			.body(picture.bytes());
	}

}
