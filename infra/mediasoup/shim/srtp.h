/*
 * libsrtp 3.x API on top of Debian's libsrtp 2.5.
 *
 * mediasoup >= 3.16 is written against libsrtp 3 (separate in/out buffers,
 * size_t lengths, srtp_stream_remove). Debian bookworm ships libsrtp 2.5 only
 * (in-place protect/unprotect with int lengths). This header is placed first on
 * the include path when the worker is built offline (infra/mediasoup/build-worker.sh)
 * so mediasoup's sources compile unchanged. It must never change behaviour:
 * every overload copies into the caller's output buffer and then runs the 2.x
 * in-place call, checking capacity first.
 */
#ifndef BALAI_SRTP3_ON_SRTP2_SHIM_H
#define BALAI_SRTP3_ON_SRTP2_SHIM_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <climits>

/* Error codes that exist only in libsrtp 3. */
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace balai_srtp_shim
{
	inline srtp_err_status_t copyIn(
	  const uint8_t* in, size_t inLen, uint8_t* out, size_t outCapacity, size_t trailer)
	{
		if (inLen > static_cast<size_t>(INT_MAX) || inLen + trailer > outCapacity)
			return srtp_err_status_buffer_small;
		if (in != out)
			std::memmove(out, in, inLen);
		return srtp_err_status_ok;
	}
} // namespace balai_srtp_shim

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t /*mki_index*/)
{
	srtp_err_status_t err =
	  balai_srtp_shim::copyIn(rtp, rtp_len, srtp, *srtp_len, SRTP_MAX_TRAILER_LEN);
	if (err != srtp_err_status_ok)
		return err;
	int len = static_cast<int>(rtp_len);
	err     = srtp_protect(ctx, static_cast<void*>(srtp), &len);
	if (err == srtp_err_status_ok)
		*srtp_len = static_cast<size_t>(len);
	return err;
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	srtp_err_status_t err = balai_srtp_shim::copyIn(srtp, srtp_len, rtp, *rtp_len, 0);
	if (err != srtp_err_status_ok)
		return err;
	int len = static_cast<int>(srtp_len);
	err     = srtp_unprotect(ctx, static_cast<void*>(rtp), &len);
	if (err == srtp_err_status_ok)
		*rtp_len = static_cast<size_t>(len);
	return err;
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t /*mki_index*/)
{
	srtp_err_status_t err =
	  balai_srtp_shim::copyIn(rtcp, rtcp_len, srtcp, *srtcp_len, SRTP_MAX_TRAILER_LEN + 4 /* SRTCP index */);
	if (err != srtp_err_status_ok)
		return err;
	int len = static_cast<int>(rtcp_len);
	err     = srtp_protect_rtcp(ctx, static_cast<void*>(srtcp), &len);
	if (err == srtp_err_status_ok)
		*srtcp_len = static_cast<size_t>(len);
	return err;
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	srtp_err_status_t err = balai_srtp_shim::copyIn(srtcp, srtcp_len, rtcp, *rtcp_len, 0);
	if (err != srtp_err_status_ok)
		return err;
	int len = static_cast<int>(srtcp_len);
	err     = srtp_unprotect_rtcp(ctx, static_cast<void*>(rtcp), &len);
	if (err == srtp_err_status_ok)
		*rtcp_len = static_cast<size_t>(len);
	return err;
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}
#endif /* __cplusplus */

#endif /* BALAI_SRTP3_ON_SRTP2_SHIM_H */
