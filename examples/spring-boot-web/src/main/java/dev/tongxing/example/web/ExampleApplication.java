package dev.tongxing.example.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web app that signs people in with Tongxing: Spring Security's OAuth2 client finds the gateway by discovery
 * ({@code issuer-uri}), sends them through the authorization code flow with PKCE, and logs out at the gateway too
 * (RP-initiated logout). Its whole configuration is {@code application.yml}.
 */
@SpringBootApplication
public class ExampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(ExampleApplication.class, args);
	}

}
