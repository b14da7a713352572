package io.seismo.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Idempotent topic creation. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long POLL_MILLIS = 100;

    private TopicAdmin() {}

    /**
     * Creates the topics that do not exist yet and waits until every topic is visible with a leader
     * for each partition. Topics that already exist are left alone (a differing partition count is
     * only logged). Safe to call repeatedly and concurrently with other creators.
     *
     * @param adminConfig Admin client config, at least {@code bootstrap.servers}
     * @throws IllegalArgumentException if two specs share a name
     * @throws IllegalStateException if creation fails or the topics are not ready within {@code
     *     timeout}
     */
    /**
     * Checks that topics exist without creating any, for clusters where topics are provisioned by others.
     *
     * @throws IllegalStateException naming the missing topics, or when the cluster does not answer in time
     */
    public static void requireTopics(
            Map<String, Object> adminConfig, Collection<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = await(admin.listTopics().names(), deadline);
            List<String> missing = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("missing topics: " + String.join(", ", missing));
            }
        }
    }

    public static void ensureTopics(
            Map<String, Object> adminConfig, Collection<TopicSpec> topics, Duration timeout) {
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        for (TopicSpec t : topics) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("topic " + t.name() + " is specified twice");
            }
        }
        if (byName.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = await(admin.listTopics().names(), deadline);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : byName.values()) {
                if (!existing.contains(spec.name())) {
                    missing.add(
                            new NewTopic(spec.name(), Optional.of(spec.partitions()),
                                    spec.replicationFactor() > 0 ? Optional.of(spec.replicationFactor()) : Optional.empty())
                                    .configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                for (Map.Entry<String, KafkaFuture<Void>> e :
                        admin.createTopics(missing).values().entrySet()) {
                    try {
                        await(e.getValue(), deadline);
                        LOG.info("Created topic {}", byName.get(e.getKey()));
                    } catch (IllegalStateException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                        LOG.debug("Topic {} was created concurrently", e.getKey());
                    }
                }
            }
            awaitVisible(admin, byName, deadline, timeout);
        }
    }

    private static void awaitVisible(
            Admin admin, Map<String, TopicSpec> byName, long deadline, Duration timeout) {
        while (true) {
            String notReady = null;
            try {
                Map<String, TopicDescription> descriptions =
                        await(admin.describeTopics(byName.keySet()).allTopicNames(), deadline);
                for (TopicDescription d : descriptions.values()) {
                    boolean leaders = d.partitions().stream().allMatch(p -> p.leader() != null);
                    if (!leaders) {
                        notReady = d.name() + " (partition without leader)";
                        break;
                    }
                    int wanted = byName.get(d.name()).partitions();
                    if (d.partitions().size() != wanted) {
                        LOG.warn(
                                "Topic {} exists with {} partitions, spec asks for {}",
                                d.name(),
                                d.partitions().size(),
                                wanted);
                    }
                }
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        && !(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                notReady = e.getCause().getMessage();
            }
            if (notReady == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topics not ready within " + timeout.toMillis() + " ms: " + notReady);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics", e);
            }
        }
    }

    /** Waits for a future until the deadline; failures become IllegalStateException with cause. */
    private static <T> T await(KafkaFuture<T> future, long deadlineNanos) {
        long remaining = Math.max(1, deadlineNanos - System.nanoTime());
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin request timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Deletes every topic whose name starts with {@code prefix} (a scoring run's own topics and its application's
     * internal topics), waiting for the deletion at most {@code timeout}.
     *
     * @return the names deleted
     */
    public static List<String> deleteTopicsWithPrefix(Map<String, Object> adminConfig, String prefix, Duration timeout) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("refusing to delete every topic: empty prefix");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            List<String> doomed = new ArrayList<>();
            for (String name : await(admin.listTopics().names(), deadline)) {
                if (name.startsWith(prefix)) {
                    doomed.add(name);
                }
            }
            if (!doomed.isEmpty()) {
                await(admin.deleteTopics(doomed).all(), deadline);
            }
            return doomed;
        }
    }
}
