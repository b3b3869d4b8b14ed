package cn.yinxin.licence.imports;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The import workers of this process ({@code yinxin.licence.import.workers} threads). Each claims a batch of rows
 * from any job, issues them one by one (renewing its lease before each), and looks again; when there is nothing to
 * do it waits {@code poll}. Workers of several processes share the jobs through PostgreSQL.
 */
@Component
public class ImportWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ImportWorkers.class);

    private final ImportJobs jobs;
    private final ImportProperties properties;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public ImportWorkers(ImportJobs jobs, ImportProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        running = true;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        for (int i = 0; i < properties.workers(); i++) {
            String name = host + ":" + ProcessHandle.current().pid() + ":" + i;
            Thread thread = Thread.ofPlatform().name("import-worker-" + i).daemon().start(() -> loop(name));
            threads.add(thread);
        }
        if (properties.workers() > 0) {
            log.info("{} import workers (batch {}, lease {})", properties.workers(), properties.batchSize(), properties.lease());
        }
    }

    private void loop(String worker) {
        while (running) {
            try {
                var rows = jobs.claim(worker);
                for (var row : rows) {
                    if (!running) {
                        return; // the rest stay claimed and return to the pool when the lease ends
                    }
                    jobs.renew(worker);
                    jobs.work(row, worker);
                }
                if (rows.isEmpty()) {
                    jobs.finishJobs();
                    Thread.sleep(properties.poll());
                }
            } catch (InterruptedException e) {
                return;
            } catch (ImportJobs.Outage e) {
                pause();
            } catch (RuntimeException e) {
                if (running) {
                    // the first line only: a database error's further lines may repeat a row, holder data included
                    log.warn("Import worker {}: {}", worker, ImportJobs.reason(e));
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.poll().multipliedBy(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
