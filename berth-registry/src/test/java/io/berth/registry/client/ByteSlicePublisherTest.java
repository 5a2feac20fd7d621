package io.berth.registry.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ByteSlicePublisherTest {
    /** Asks for one piece at a time from inside onNext, as the HTTP client does, and keeps what it gets. */
    private static byte[] drain(ByteSlicePublisher publisher, AtomicInteger completions) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        publisher.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                got.writeBytes(b);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
                completions.incrementAndGet();
            }
        });
        return got.toByteArray();
    }

    @Test
    void everySubscriberGetsTheWholeSliceWithoutACopyOfTheArray() {
        byte[] bytes = new byte[300_000];
        new Random(1).nextBytes(bytes);
        ByteSlicePublisher publisher = new ByteSlicePublisher(bytes, 1000, 250_000);
        assertThat(publisher.contentLength()).isEqualTo(250_000);
        AtomicInteger completions = new AtomicInteger();
        byte[] expected = java.util.Arrays.copyOfRange(bytes, 1000, 251_000);
        assertThat(drain(publisher, completions)).isEqualTo(expected);
        assertThat(drain(publisher, completions)).isEqualTo(expected); // a request repeated after a 401
        assertThat(completions).hasValue(2);
        assertThat(drain(new ByteSlicePublisher(bytes, 0, 0), completions)).isEmpty();
        assertThat(completions).hasValue(3);
    }
}
