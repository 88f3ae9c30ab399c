/*
 * Lean RTP receiver for the SFU bench: one UDP socket per simulated viewer
 * (ports base..base+count-1 on 127.0.0.1), epoll + recvmmsg, RTP sequence
 * numbers tracked per SSRC per socket. After a warm-up it measures for a
 * window and prints one JSON line. Never used in production.
 *
 *   rtp-receiver <basePort> <count> <warmupMs> <windowMs>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SSRC_PER_SOCKET 4
#define BATCH 64

typedef struct {
  uint32_t ssrc;
  int used;
  int measuring;
  uint32_t cycles;
  uint16_t last_seq;
  uint64_t first_ext;
  uint64_t max_ext;
  uint64_t received;
  uint64_t bytes;
} ssrc_state;

typedef struct {
  int fd;
  ssrc_state ssrcs[MAX_SSRC_PER_SOCKET];
} viewer;

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s basePort count warmupMs windowMs\n", argv[0]);
    return 2;
  }
  int base = atoi(argv[1]), count = atoi(argv[2]);
  uint64_t warmup = strtoull(argv[3], NULL, 10), window = strtoull(argv[4], NULL, 10);
  viewer *viewers = calloc(count, sizeof(viewer));
  int ep = epoll_create1(0);
  for (int i = 0; i < count; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int buf = 4 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(base + i)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
      fprintf(stderr, "bind %d: %s\n", base + i, strerror(errno));
      return 1;
    }
    viewers[i].fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  printf("READY\n");
  fflush(stdout);

  static char bufs[BATCH][1600];
  struct mmsghdr msgs[BATCH];
  struct iovec iovs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    iovs[i].iov_base = bufs[i];
    iovs[i].iov_len = sizeof bufs[i];
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  uint64_t start = now_ms(), measure_from = start + warmup, end = measure_from + window;
  int measuring = 0;
  uint64_t total_packets = 0, total_bytes = 0, rtcp = 0;
  struct epoll_event events[256];
  for (;;) {
    uint64_t t = now_ms();
    if (t >= end) break;
    if (!measuring && t >= measure_from) measuring = 1;
    int n = epoll_wait(ep, events, 256, 20);
    for (int e = 0; e < n; e++) {
      viewer *v = &viewers[events[e].data.u32];
      for (;;) {
        int got = recvmmsg(v->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (got <= 0) break;
        for (int m = 0; m < got; m++) {
          unsigned len = msgs[m].msg_len;
          unsigned char *p = (unsigned char *)bufs[m];
          if (len < 12 || (p[0] >> 6) != 2) continue;
          unsigned pt = p[1] & 0x7f;
          if (pt >= 72 && pt <= 76) {
            rtcp++;
            continue;
          }
          uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
          uint32_t ssrc = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
          ssrc_state *s = NULL;
          for (int k = 0; k < MAX_SSRC_PER_SOCKET; k++) {
            if (v->ssrcs[k].used && v->ssrcs[k].ssrc == ssrc) { s = &v->ssrcs[k]; break; }
            if (!v->ssrcs[k].used) { s = &v->ssrcs[k]; s->used = 1; s->ssrc = ssrc; s->last_seq = seq; break; }
          }
          if (!s) continue;
          if (seq < s->last_seq && (uint16_t)(s->last_seq - seq) > 0x8000) s->cycles += 1;
          if ((uint16_t)(seq - s->last_seq) < 0x8000) s->last_seq = seq;
          uint64_t ext = ((uint64_t)s->cycles << 16) | seq;
          if (!measuring) continue;
          if (!s->measuring) { s->measuring = 1; s->first_ext = ext; s->max_ext = ext; }
          if (ext > s->max_ext) s->max_ext = ext;
          if (ext >= s->first_ext) { s->received++; s->bytes += len; }
          total_packets++;
          total_bytes += len;
        }
      }
    }
  }
  uint64_t expected = 0, received = 0;
  int ssrcs = 0, starved = 0, worst_viewer = -1;
  double worst_loss = 0;
  for (int i = 0; i < count; i++) {
    uint64_t ve = 0, vr = 0;
    int active = 0;
    for (int k = 0; k < MAX_SSRC_PER_SOCKET; k++) {
      ssrc_state *s = &viewers[i].ssrcs[k];
      if (!s->measuring) continue;
      active++;
      ssrcs++;
      ve += s->max_ext - s->first_ext + 1;
      vr += s->received;
    }
    if (active < 2) starved++;
    expected += ve;
    received += vr;
    double loss = ve ? 1.0 - (double)vr / (double)ve : 1.0;
    if (loss > worst_loss) { worst_loss = loss; worst_viewer = i; }
  }
  printf("{\"packets\":%llu,\"bytes\":%llu,\"expected\":%llu,\"received\":%llu,\"ssrcs\":%d,\"starvedViewers\":%d,"
         "\"worstViewerLoss\":%.6f,\"worstViewer\":%d,\"rtcp\":%llu,\"windowMs\":%llu}\n",
         (unsigned long long)total_packets, (unsigned long long)total_bytes, (unsigned long long)expected,
         (unsigned long long)received, ssrcs, starved, worst_loss, worst_viewer, (unsigned long long)rtcp,
         (unsigned long long)window);
  return 0;
}
