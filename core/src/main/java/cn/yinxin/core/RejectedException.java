package cn.yinxin.core;

/** Input we refuse, with the problem kind the edge reports and a sentence for the caller. */
public class RejectedException extends RuntimeException {

    private final Problem problem;

    public RejectedException(Problem problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
