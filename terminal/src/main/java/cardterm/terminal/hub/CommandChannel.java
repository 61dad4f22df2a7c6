package cardterm.terminal.hub;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.command.ReplyCode;
import cardterm.terminal.store.CommandLog;
import cardterm.terminal.event.SafeText;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands in, replies out: messages on {@code cmd/+} go through the {@link HubCommandDoor} on
 * one command thread (a bounded queue; a command that finds it full is answered {@code BUSY}).
 * Each reply is stored in the {@link CommandLog}'s queue of replies, which the link drains like
 * the outbox; only then is the message acknowledged to the broker, so a command whose reply is
 * not on disk comes again after a crash (and is recognised as a repeat: no second effect).
 */
final class CommandChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandChannel.class);
    private static final int COMMAND_QUEUE = 32;

    private final HubCommandDoor door;
    private final CommandLog replies;
    private final Topics topics;
    private final Runnable wake;
    private final ThreadPoolExecutor commandThread;

    /** @param wake tells the link thread that replies wait */
    CommandChannel(HubCommandDoor door, CommandLog replies, Topics topics, Runnable wake) {
        this.door = door;
        this.replies = replies;
        this.topics = topics;
        this.wake = wake;
        this.commandThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(COMMAND_QUEUE),
                ServiceThreads.factory("hub-commands", false));
    }

    /** A message arrived on {@code topic}; on Paho's thread: hands it over, never blocks. */
    void messageArrived(HubSession session, String topic, byte[] payload, int messageId, int qos) {
        String name = topics.commandName(topic).orElse(null);
        if (name == null) {
            log.debug("message on unexpected topic {} ignored", SafeText.of(topic));
            session.acknowledge(messageId, qos);
            return;
        }
        try {
            commandThread.execute(() -> runCommand(session, name, payload, messageId, qos));
        } catch (RejectedExecutionException e) {
            // not looked at, so nothing to remember: the hub may send it again
            if (queueReply(HubCommandDoor.busyReply(payload))) {
                session.acknowledge(messageId, qos);
            }
        }
    }

    private void runCommand(HubSession session, String name, byte[] payload, int messageId, int qos) {
        ObjectNode reply;
        try {
            reply = door.handle(name, payload);
        } catch (RuntimeException e) {
            // e.g. the disk refused the memory of the request: not acknowledged, so it comes again
            log.error("command {} could not be handled", SafeText.of(name, 64), e);
            reply = CommandDispatcher.reply(null, CommandResult.failed(ReplyCode.INTERNAL,
                    "the command could not be handled"));
            queueReply(reply);
            return;
        }
        if (queueReply(reply)) {
            session.acknowledge(messageId, qos);
        }
    }

    /** Stores a reply in the queue the link drains; false (logged) when it could not be stored. */
    private boolean queueReply(ObjectNode reply) {
        try {
            replies.queueReply(HubLink.bytes(reply));
            wake.run();
            return true;
        } catch (RuntimeException e) {
            log.error("a reply could not be stored: {}", e.toString());
            return false;
        }
    }

    /** Stops the command thread (waits at most 5 s for a command running). */
    @Override
    public void close() {
        commandThread.shutdownNow();
        try {
            commandThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
