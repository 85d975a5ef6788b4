package dev.tongxing.server;

import dev.tongxing.server.cli.Commands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TongxingApplication {

	public static void main(String[] args) {
		if (Commands.isCommand(args)) {
			System.exit(Commands.run(TongxingApplication.class, args));
		}
		SpringApplication.run(TongxingApplication.class, args);
	}

}
