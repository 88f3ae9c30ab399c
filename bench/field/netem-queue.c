/*
 * netem-queue: the delay and random loss that the kernel's sch_netem would add,
 * done in user space through an NFQUEUE (this machine's kernel has no netem).
 *
 * Every packet iptables sends to queue N is either dropped with probability
 * --loss, or held for --delay-ms and then accepted. The delay is constant, so
 * packets leave in the order they came (no reordering, like netem without
 * jitter). Only packet ids are copied from the kernel (NFQNL_COPY_META), never
 * payloads. Run it inside the network namespace whose iptables rules use the
 * queue: NFQUEUE bindings are per namespace.
 *
 * It must never outlive its bench: it ends when its parent dies or after
 * --max-seconds (default 900 s), and SIGTERM/SIGINT release every held packet
 * before exiting.
 *
 * Build: cc -O2 -Wall -o netem-queue netem-queue.c -lnetfilter_queue
 * (Debian: libnetfilter-queue-dev).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define RING 131072 /* packets held at once; 500 kbit/s for 1 s is ~60 */

struct held {
  uint32_t id;
  uint64_t release_ns;
};

static struct held ring[RING];
static size_t head, count;
static uint64_t delay_ns;
static double loss;
static unsigned long seen, dropped, overflow;
static volatile sig_atomic_t stop;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  uint32_t id = ntohl(ph->packet_id);
  seen++;
  if (loss > 0 && drand48() < loss) {
    dropped++;
    return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
  }
  if (delay_ns == 0) return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  if (count == RING) { /* never expected; pass it rather than stall the link */
    overflow++;
    return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  }
  ring[(head + count) % RING] = (struct held){ id, now_ns() + delay_ns };
  count++;
  return 0;
}

static void release_due(struct nfq_q_handle *qh, int all) {
  uint64_t now = now_ns();
  while (count > 0 && (all || ring[head].release_ns <= now)) {
    nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % RING;
    count--;
  }
}

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static void usage(const char *argv0) {
  fprintf(stderr, "usage: %s --queue N [--delay-ms D] [--loss 0.03] [--seed S] [--max-seconds 900]\n", argv0);
  exit(2);
}

int main(int argc, char **argv) {
  int queue = -1;
  double delay_ms = 0;
  long seed = (long)getpid();
  int max_seconds = 900;
  static struct option opts[] = {
    { "queue", required_argument, 0, 'q' },
    { "delay-ms", required_argument, 0, 'd' },
    { "loss", required_argument, 0, 'l' },
    { "seed", required_argument, 0, 's' },
    { "max-seconds", required_argument, 0, 'm' },
    { 0, 0, 0, 0 },
  };
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 'q': queue = atoi(optarg); break;
      case 'd': delay_ms = atof(optarg); break;
      case 'l': loss = atof(optarg); break;
      case 's': seed = atol(optarg); break;
      case 'm': max_seconds = atoi(optarg); break;
      default: usage(argv[0]);
    }
  }
  if (queue < 0 || queue > 65535 || delay_ms < 0 || delay_ms > 10000 || loss < 0 || loss >= 1 || max_seconds < 1) usage(argv[0]);
  delay_ns = (uint64_t)(delay_ms * 1e6);
  srand48(seed);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGALRM, &sa, NULL);
  alarm((unsigned)max_seconds);
  /* If the bench dies without cleaning up, so do we (its namespace goes with the next run). */
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) stop = 1;

  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t)queue, &on_packet, NULL);
  if (!qh) { perror("nfq_create_queue (is another program bound to this queue?)"); return 1; }
  if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(qh, RING);
  int fd = nfq_fd(h);
  int rcvbuf = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  fprintf(stderr, "netem-queue: queue %d, delay %.1f ms, loss %.2f%%\n", queue, delay_ms, loss * 100);

  char buf[0x10000] __attribute__((aligned));
  while (!stop) {
    int timeout = -1;
    if (count > 0) {
      uint64_t now = now_ns(), due = ring[head].release_ns;
      timeout = due <= now ? 0 : (int)((due - now + 999999) / 1000000);
    }
    struct pollfd p = { fd, POLLIN, 0 };
    int r = poll(&p, 1, timeout);
    if (r < 0 && errno != EINTR) { perror("poll"); break; }
    if (r > 0) {
      /* Drain what is ready without blocking the release of due packets. */
      for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
          if (errno == ENOBUFS) { overflow++; continue; } /* kernel dropped notifications; keep going */
          break;
        }
        nfq_handle_packet(h, buf, (int)n);
      }
    }
    release_due(qh, 0);
  }
  release_due(qh, 1);
  fprintf(stderr, "netem-queue: queue %d done: %lu packets, %lu dropped (%.2f%%), %lu overflow\n", queue, seen, dropped,
          seen ? 100.0 * (double)dropped / (double)seen : 0.0, overflow);
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
