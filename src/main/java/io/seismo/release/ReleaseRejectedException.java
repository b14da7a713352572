package io.seismo.release;

/** A model release that cannot be used, with the reason, which callers count. */
public final class ReleaseRejectedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    public ReleaseRejectedException(RejectionReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ReleaseRejectedException(RejectionReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }

    /** The reason a failure to decode or apply a release stands for: its own, or {@link RejectionReason#FAILED}. */
    public static RejectionReason reasonOf(Throwable failure) {
        return failure instanceof ReleaseRejectedException r ? r.reason() : RejectionReason.FAILED;
    }
}
