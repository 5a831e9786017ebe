<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>FeaturesPanel</name>
    <message>
        <source>
&lt;p&gt;A model trained only to predict pixels, p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;),
builds &lt;b&gt;hidden units&lt;/b&gt; on the way: NADE&apos;s unit j computes
h&lt;sub&gt;j&lt;/sub&gt; = σ(W&lt;sub&gt;j&lt;/sub&gt; · x + c&lt;sub&gt;j&lt;/sub&gt;), so the row W&lt;sub&gt;j&lt;/sub&gt;
is a 28×28 &lt;b&gt;filter&lt;/b&gt; — the pattern of ink that turns the unit on. Nobody
gave the model labels, yet its units often become strokes and pen positions.
That is &lt;b&gt;unsupervised feature learning&lt;/b&gt;. One test of it: give a simple
linear classifier the features h instead of the pixels x, with only a few
labelled digits. If the features help most when labels are few, the model
learned something about digits that the labels did not have to teach.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;픽셀 p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)를 예측하도록만 학습한 모델도 그 과정에서
&lt;b&gt;은닉 유닛(hidden unit)&lt;/b&gt;을 만듭니다. NADE의 유닛 j는
h&lt;sub&gt;j&lt;/sub&gt; = σ(W&lt;sub&gt;j&lt;/sub&gt; · x + c&lt;sub&gt;j&lt;/sub&gt;)를 계산하므로, 행 W&lt;sub&gt;j&lt;/sub&gt;는
28×28 &lt;b&gt;필터(filter)&lt;/b&gt;, 곧 그 유닛을 켜는 잉크 패턴입니다. 아무도 모델에 레이블을 주지
않았는데도 유닛들은 흔히 획이나 펜 위치가 됩니다. 이것이 &lt;b&gt;비지도 특징 학습(unsupervised
feature learning)&lt;/b&gt;입니다. 한 가지 시험: 간단한 선형 분류기에 픽셀 x 대신 특징 h를 주고,
레이블이 붙은 숫자는 몇 개만 줍니다. 레이블이 적을 때 특징이 가장 도움이 된다면, 모델은
레이블이 가르쳐 주지 않아도 되는 무언가를 숫자에 대해 배운 것입니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Draw on the canvas (panel 5), or choose a test digit</source>
        <translation>캔버스(패널 5)에 그리거나 테스트 숫자를 고르십시오</translation>
    </message>
    <message>
        <source>The drawing is {h}×{w}; the model reads {model_h}×{model_w} images</source>
        <translation>그림은 {h}×{w}인데 모델은 {model_h}×{model_w} 이미지를 읽습니다</translation>
    </message>
    <message>
        <source>Unsupervised feature learning</source>
        <extracomment>Data the classifiers are trained and scored on. Filters shown in the grid at most (the strongest first). Held-out digits whose log-likelihood each unit&apos;s silencing is measured on. Units and their filters shown for one image. What the comparison uses: label counts (0: all), L-BFGS rounds, and how many training digits (0: all) — smaller in tests. What the panel shows, kept so that a language change re-renders it.</extracomment>
        <translation>비지도 특징 학습</translation>
    </message>
    <message>
        <source>by norm</source>
        <translation>노름 순</translation>
    </message>
    <message>
        <source>by contribution</source>
        <translation>기여도 순</translation>
    </message>
    <message>
        <source>canvas drawing</source>
        <translation>캔버스 그림</translation>
    </message>
    <message>
        <source>test digit</source>
        <translation>테스트 숫자</translation>
    </message>
    <message>
        <source>Order the units by the size of their weights, or by how much the mean log-likelihood of held-out digits drops when the unit is silenced</source>
        <translation>유닛을 가중치의 크기 순으로, 또는 그 유닛을 끌 때 검증용 숫자의 평균 로그 우도가 얼마나 떨어지는지의 순으로 정렬합니다</translation>
    </message>
    <message>
        <source>Measure contributions</source>
        <translation>기여도 측정</translation>
    </message>
    <message>
        <source>Silence each unit in turn on {count} held-out digits</source>
        <translation>검증용 숫자 {count}개에서 유닛을 하나씩 차례로 끕니다</translation>
    </message>
    <message>
        <source>Scroll to zoom, drag to pan</source>
        <translation>스크롤하면 확대/축소, 끌면 이동합니다</translation>
    </message>
    <message>
        <source>What the activations are shown for</source>
        <translation>활성값을 보여 줄 대상</translation>
    </message>
    <message>
        <source>Which held-out digit (1-based)</source>
        <translation>어느 검증용 숫자인지 (1부터)</translation>
    </message>
    <message>
        <source>The layer whose feature maps are shown</source>
        <translation>특징 맵을 보여 줄 층</translation>
    </message>
    <message>
        <source>finding active units…</source>
        <translation>활성 유닛 찾는 중…</translation>
    </message>
    <message>
        <source>Compare with pixels</source>
        <translation>픽셀과 비교</translation>
    </message>
    <message>
        <source>Train a linear classifier on the model&apos;s features and on raw pixels with 10, 100, 1,000 and all labelled {data} training digits</source>
        <translation>레이블이 붙은 {data} 학습 숫자 10개, 100개, 1,000개, 전체로 모델의 특징과 원래 픽셀에서 각각 선형 분류기를 학습합니다</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop the comparison</source>
        <translation>비교 중지</translation>
    </message>
    <message>
        <source>labelled training digits</source>
        <translation>레이블이 있는 학습 숫자</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>검증 정확도</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>정렬</translation>
    </message>
    <message>
        <source>Activations for</source>
        <translation>활성값 대상</translation>
    </message>
    <message>
        <source>top units</source>
        <translation>상위 유닛</translation>
    </message>
    <message>
        <source>maps: {layer}</source>
        <translation>맵: {layer}</translation>
    </message>
    <message>
        <source>No model: pick one in the library</source>
        <translation>모델이 없습니다. 라이브러리에서 고르십시오</translation>
    </message>
    <message>
        <source>{title}: {units} units — {layer}</source>
        <translation>{title}: 유닛 {units}개 — {layer}</translation>
    </message>
    <message>
        <source>(the first {count})</source>
        <translation>(처음 {count}개)</translation>
    </message>
    <message>
        <source>Hover a filter to see its unit</source>
        <translation>필터 위에 마우스를 올리면 그 유닛을 봅니다</translation>
    </message>
    <message>
        <source>unit {unit}</source>
        <translation>유닛 {unit}</translation>
    </message>
    <message>
        <source>norm {norm}</source>
        <translation>노름 {norm}</translation>
    </message>
    <message>
        <source>helps log p(x) by {nats} nats</source>
        <translation>log p(x)를 {nats} nats 높임</translation>
    </message>
    <message>
        <source>Units sorted by their contribution to log p(x)</source>
        <translation>log p(x)에 대한 기여도 순으로 유닛을 정렬했습니다</translation>
    </message>
    <message>
        <source>model&apos;s features ({size})</source>
        <translation>모델의 특징 ({size})</translation>
    </message>
    <message>
        <source>raw pixels ({size})</source>
        <translation>원래 픽셀 ({size})</translation>
    </message>
    <message>
        <source>{count}: {features} vs {pixels}</source>
        <translation>{count}: {features} 대 {pixels}</translation>
    </message>
    <message>
        <source>Accuracy on {count} held-out digits, features vs pixels — {rows}</source>
        <translation>검증용 숫자 {count}개에서의 정확도, 특징 대 픽셀 — {rows}</translation>
    </message>
    <message>
        <source>Could not finish: {error}</source>
        <translation>끝내지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Feature maps of the {layer}, one per channel</source>
        <translation>{layer}의 특징 맵, 채널마다 하나</translation>
    </message>
    <message>
        <source>unit {unit} ({activation})</source>
        <translation>유닛 {unit} ({activation})</translation>
    </message>
    <message>
        <source>Most active: {units} — the image, then their filters</source>
        <translation>가장 활성인 유닛: {units} — 이미지, 그다음 그 필터들</translation>
    </message>
    <message>
        <source>Most active: {units} — their filters</source>
        <translation>가장 활성인 유닛: {units} — 그 필터들</translation>
    </message>
</context>
</TS>
