package cn.yinxin.service.metrics;

import cn.yinxin.service.web.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.util.concurrent.TimeUnit;

/**
 * What every RestClient of a service to another of ours adds: the request id of the request being served (so the
 * called service logs the same id) and a {@link Meters#CALLS} timer, {@code ok} for an answer below 500, {@code
 * failed} for a 5xx or no answer at all (a refusal, 4xx, is the other service working).
 */
public final class OutgoingCalls {

    private OutgoingCalls() {
    }

    public static ClientHttpRequestInterceptor to(MeterRegistry registry, String target) {
        ClientHttpRequestInterceptor requestId = RequestIds.propagate();
        return (request, body, execution) -> {
            long start = System.nanoTime();
            String outcome = "failed";
            try {
                ClientHttpResponse response = requestId.intercept(request, body, execution);
                outcome = response.getStatusCode().is5xxServerError() ? "failed" : "ok";
                return response;
            } finally {
                Meters.callTimer(registry, target, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }
}
