"""Title similarity: a reworded task is the same task, another task is not."""

from plans.similarity import same_task, title_similarity


def test_a_reworded_title_is_the_same_task() -> None:
    assert same_task("开展职工书屋建设", "开展职工书屋建设工作")
    assert same_task("继续开展职工素质大讲堂活动", "继续开展职工素质大讲堂系列活动")
    assert same_task("做好档案升级达标评审和工会统计年报工作", "做好工会统计年报工作")


def test_another_task_under_the_same_number_is_not() -> None:
    assert not same_task("开展职工书屋建设", "安全生产大检查")
    assert not same_task("筹备好工业制造业工会联合会换届工作", "开展安全生产月宣传")


def test_spaces_and_punctuation_do_not_count() -> None:
    assert title_similarity("扎实开展 2020 年“扶贫日”活动", "扎实开展2020年扶贫日活动") == 1.0
    assert title_similarity("“”", "（）") == 1.0
    assert title_similarity("", "任务") == 0.0
