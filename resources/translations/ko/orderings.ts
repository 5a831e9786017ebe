<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>OrderingPanel</name>
    <message>
        <source>
&lt;p&gt;The chain rule p(x) = Π&lt;sub&gt;k&lt;/sub&gt; p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; |
x&lt;sub&gt;o&lt;sub&gt;1&lt;/sub&gt;&lt;/sub&gt;, …, x&lt;sub&gt;o&lt;sub&gt;k−1&lt;/sub&gt;&lt;/sub&gt;) holds for &lt;b&gt;any
ordering&lt;/b&gt; o of the pixels, but each ordering gives each pixel a different
&lt;b&gt;conditioning set&lt;/b&gt; — and a model with limited capacity learns some sets
more easily than others. A &lt;b&gt;Markov AR-k&lt;/b&gt; model keeps only the last k pixels
of that set: p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; | x&lt;sub&gt;o&lt;sub&gt;k−k&lt;/sub&gt;&lt;/sub&gt;, …,
x&lt;sub&gt;o&lt;sub&gt;k−1&lt;/sub&gt;&lt;/sub&gt;). Click a pixel to see both.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;연쇄 법칙(chain rule) p(x) = Π&lt;sub&gt;k&lt;/sub&gt; p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; |
x&lt;sub&gt;o&lt;sub&gt;1&lt;/sub&gt;&lt;/sub&gt;, …, x&lt;sub&gt;o&lt;sub&gt;k−1&lt;/sub&gt;&lt;/sub&gt;)은 픽셀의 &lt;b&gt;어떤 순서(ordering)&lt;/b&gt;
o에 대해서도 성립합니다. 하지만 순서마다 각 픽셀이 조건으로 삼는 &lt;b&gt;조건부 집합(conditioning
set)&lt;/b&gt;이 달라지고, 용량이 제한된 모델은 어떤 집합을 다른 집합보다 더 쉽게 배웁니다.
&lt;b&gt;마르코프 AR-k&lt;/b&gt; 모델은 그 집합에서 마지막 k개 픽셀만 남깁니다(마르코프 가정):
p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; | x&lt;sub&gt;o&lt;sub&gt;k−k&lt;/sub&gt;&lt;/sub&gt;, …, x&lt;sub&gt;o&lt;sub&gt;k−1&lt;/sub&gt;&lt;/sub&gt;).
픽셀을 클릭하면 둘 다 볼 수 있습니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>ordering</source>
        <extracomment>Each form label, with its English text.</extracomment>
        <translation>픽셀 순서</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>grid</source>
        <translation>격자</translation>
    </message>
    <message>
        <source>AR-k window</source>
        <translation>AR-k 창</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>Orderings and conditioning sets</source>
        <extracomment>Choices the window remembers between sessions.</extracomment>
        <translation>픽셀 순서와 조건부 집합</translation>
    </message>
    <message>
        <source>The order in which pixels are generated</source>
        <translation>픽셀을 생성하는 순서</translation>
    </message>
    <message>
        <source>Seed of the random ordering</source>
        <translation>무작위 순서의 시드</translation>
    </message>
    <message>
        <source>Grid height</source>
        <translation>격자 높이</translation>
    </message>
    <message>
        <source>Grid width</source>
        <translation>격자 너비</translation>
    </message>
    <message>
        <source>k of the AR-k window (0: none)</source>
        <translation>AR-k 창의 k (0: 창 없음)</translation>
    </message>
    <message>
        <source>numbers</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Show each pixel&apos;s position (on grids large enough)</source>
        <translation>각 픽셀의 순번을 표시합니다 (격자가 충분히 클 때)</translation>
    </message>
    <message>
        <source>Animate path</source>
        <translation>경로 애니메이션</translation>
    </message>
    <message>
        <source>Draw the path through the pixels in order (Space)</source>
        <translation>픽셀을 차례로 지나는 경로를 그립니다 (Space)</translation>
    </message>
    <message>
        <source>Animation speed: pixels per second</source>
        <translation>애니메이션 속도: 초당 픽셀 수</translation>
    </message>
    <message>
        <source>Record custom order</source>
        <translation>사용자 지정 순서 기록</translation>
    </message>
    <message>
        <source>Click the pixels one after another; the order is used once every pixel is clicked</source>
        <translation>픽셀을 하나씩 차례로 클릭하십시오. 모든 픽셀을 클릭하면 그 순서를 씁니다</translation>
    </message>
    <message>
        <source>Click a pixel to see its conditioning set</source>
        <translation>픽셀을 클릭하면 그 조건부 집합이 보입니다</translation>
    </message>
    <message>
        <source>Measured: the NLL it gives</source>
        <translation>측정값: 이 순서의 NLL</translation>
    </message>
    <message>
        <source>The grid changed size: click the custom order again.</source>
        <translation>격자 크기가 바뀌었습니다. 직접 정할 순서를 처음부터 다시 클릭하세요.</translation>
    </message>
    <message>
        <source>The measured results cannot be read: {problem}</source>
        <extracomment>The shipped measurement (None if it cannot be read: said in the box).</extracomment>
        <translation>측정 결과를 읽을 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>{model}, trained on {data}; {training}. Each ordering is trained the same way with each seed (the random ordering drawn with the run&apos;s seed). Reproduce: {command}</source>
        <translation>{model}, 학습 데이터: {data}; {training}. 모든 순서를 시드마다 같은 방식으로 학습했습니다 (무작위 순서는 실행의 시드로 뽑음). 재현: {command}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{ordering}&lt;/b&gt;: not measured yet (the results hold {measured}).</source>
        <translation>&lt;b&gt;{ordering}&lt;/b&gt;: 아직 측정하지 않았습니다 (결과에 있는 순서: {measured}).</translation>
    </message>
    <message>
        <source>&lt;b&gt;{ordering}&lt;/b&gt;: not measured. The study trains the named orderings only ({measured}); a custom order would need its own runs (Training monitor → Compare orderings…).</source>
        <translation>&lt;b&gt;{ordering}&lt;/b&gt;: 측정하지 않았습니다. 이 연구는 이름 있는 순서만 학습합니다 ({measured}). 사용자 지정 순서는 따로 실행해야 합니다 (학습 모니터 → 순서 비교…).</translation>
    </message>
    <message>
        <source>{model}, binarized MNIST, best validation NLL:</source>
        <translation>{model}, 이진화 MNIST, 최저 검증 NLL:</translation>
    </message>
    <message>
        <source>&lt;b&gt;{ordering}: {value}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{ordering}: {value}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>raster: {value}</source>
        <translation>래스터: {value}</translation>
    </message>
    <message>
        <source>The best mean: {ordering}, {value}.</source>
        <translation>가장 좋은 평균: {ordering}, {value}.</translation>
    </message>
    <message>
        <source>&lt;i&gt;Reproduce: {command}&lt;/i&gt;</source>
        <translation>&lt;i&gt;재현: {command}&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Click a pixel to see its conditioning set.</source>
        <translation>픽셀을 클릭하면 그 조건부 집합이 보입니다.</translation>
    </message>
    <message>
        <source>The pixel at row {row}, column {col} is generated &lt;b&gt;{ordinal}&lt;/b&gt;: step {step} of {total}.</source>
        <translation>{row}행 {col}열의 픽셀은 &lt;b&gt;{step}번째&lt;/b&gt;로 생성됩니다: 전체 {total}단계 중 {step}단계.</translation>
    </message>
    <message>
        <source>Conditioned on the &lt;b&gt;{k}&lt;/b&gt; earlier pixels (in colour)</source>
        <translation>앞선 픽셀 &lt;b&gt;{k}&lt;/b&gt;개에 조건부 (색으로 표시)</translation>
    </message>
    <message>
        <source>{mark} AR-{window} window: &lt;b&gt;{count}&lt;/b&gt; of them</source>
        <translation>{mark} AR-{window} 창: 그중 &lt;b&gt;{count}&lt;/b&gt;개</translation>
    </message>
    <message>
        <source>row {row}, column {col}</source>
        <translation>{row}행 {col}열</translation>
    </message>
    <message>
        <source>{where}: generated {ordinal}</source>
        <translation>{where}: {step}번째로 생성</translation>
    </message>
    <message>
        <source>Click every pixel in the order you want them generated.</source>
        <translation>생성하고 싶은 순서대로 모든 픽셀을 클릭하십시오.</translation>
    </message>
    <message>
        <source>Custom order not finished ({count} of {total} pixels clicked): still showing the {ordering} order.</source>
        <translation>사용자 지정 순서를 끝내지 않았습니다 (픽셀 {total}개 중 {count}개 클릭): 계속 {ordering} 순서를 보여 줍니다.</translation>
    </message>
    <message>
        <source>Custom order: {count} of {total} pixels clicked.</source>
        <translation>사용자 지정 순서: 픽셀 {total}개 중 {count}개 클릭함.</translation>
    </message>
    <message>
        <source>{mean:.2f} nats (1 seed)</source>
        <translation>{mean:.2f} nats (시드 1개)</translation>
    </message>
    <message>
        <source>{mean:.2f} ± {std:.2f} nats ({n} seeds, {low:.2f}–{high:.2f})</source>
        <translation>{mean:.2f} ± {std:.2f} nats (시드 {n}개, {low:.2f}–{high:.2f})</translation>
    </message>
</context>
</TS>
