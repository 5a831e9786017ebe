<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>CanvasPanel</name>
    <message>
        <source>
&lt;p&gt;An autoregressive model gives every image an exact probability,
log p(x) = Σ&lt;sub&gt;i&lt;/sub&gt; log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;), so it can
&lt;b&gt;score&lt;/b&gt; a drawing. Each term is a pixel&apos;s &lt;b&gt;surprise&lt;/b&gt;
−log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;): bright where the model did not expect
what you drew. For a model of continuous pixels it is −log of a
&lt;i&gt;density&lt;/i&gt;, which is negative where the density exceeds 1. A model of gray
levels gets a soft brush. A &lt;b&gt;class-conditional&lt;/b&gt; model p(x | y) also
&lt;b&gt;classifies&lt;/b&gt; by Bayes&apos; rule: p(y | x) ∝ p(x | y) p(y).&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Likelihood is not typicality.&lt;/b&gt; The most probable image is an almost
empty one, yet no digit looks like that: real digits&apos; −log p(x) cluster around
the entropy (the &lt;i&gt;typical set&lt;/i&gt;), not at the minimum, and density models can
even score another kind of picture higher than their own data (Nalisnick et al.
2019, &lt;i&gt;Do Deep Generative Models Know What They Don&apos;t Know?&lt;/i&gt;). So the
drawing is checked against held-out digits in both directions.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;자기회귀 모델(autoregressive model)은 모든 이미지에 정확한 확률
log p(x) = Σ&lt;sub&gt;i&lt;/sub&gt; log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)를 주므로, 그림에
&lt;b&gt;점수&lt;/b&gt;를 매길 수 있습니다. 각 항은 한 픽셀의 &lt;b&gt;놀라움(surprise)&lt;/b&gt;
−log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)입니다. 모델이 예상하지 못한 곳을 그리면 밝게 표시됩니다.
연속 픽셀 모델에서는 &lt;i&gt;밀도(density)&lt;/i&gt;의 −log이므로, 밀도가 1보다 큰 곳에서는 음수가 됩니다.
회색 단계 모델에서는 부드러운 붓을 씁니다. &lt;b&gt;클래스 조건부(class-conditional)&lt;/b&gt; 모델 p(x | y)는
베이즈 규칙 p(y | x) ∝ p(x | y) p(y)로 &lt;b&gt;분류&lt;/b&gt;도 할 수 있습니다.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;우도는 전형성이 아닙니다.&lt;/b&gt; 가장 확률이 높은 이미지는 거의 빈 이미지이지만,
그런 숫자는 없습니다. 실제 숫자의 −log p(x)는 최솟값이 아니라 엔트로피 근처
(&lt;i&gt;전형 집합(typical set)&lt;/i&gt;)에 모이고, 밀도 모델은 자기 데이터보다 다른 종류의 그림에
더 높은 점수를 주기도 합니다(Nalisnick et al. 2019, &lt;i&gt;Do Deep Generative Models Know
What They Don&apos;t Know?&lt;/i&gt;). 그래서 그림을 검증용(held-out) 숫자와 양쪽 방향으로 비교합니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;surprise −log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt;</source>
        <extracomment>The digits a drawing is compared with (the canvas models&apos; validation split). Verdict colours: what needs a second look, and what does not.</extracomment>
        <translation>&lt;b&gt;놀라움 −log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;surprise −log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt;, p a density: below 0 where it exceeds 1</source>
        <translation>&lt;b&gt;놀라움 −log p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt;, p는 밀도: 1보다 큰 곳에서는 0 아래</translation>
    </message>
    <message>
        <source>This is not a typical digit; the class probabilities are not meaningful.</source>
        <translation>전형적인 숫자가 아닙니다. 클래스 확률은 의미가 없습니다.</translation>
    </message>
    <message>
        <source>p(y | x) needs a class-conditional model — choose one in the library (trained with --conditional).</source>
        <translation>p(y | x)에는 클래스 조건부 모델이 필요합니다. 라이브러리에서 하나를 고르십시오(--conditional로 학습한 모델).</translation>
    </message>
    <message>
        <source>scoring …</source>
        <extracomment>Messages in place of a score: a marked template and its values.</extracomment>
        <translation>점수 계산 중 …</translation>
    </message>
    <message>
        <source>scoring the blank canvas …</source>
        <translation>빈 캔버스의 점수 계산 중 …</translation>
    </message>
    <message>
        <source>No model: pick one in the library, or train one.</source>
        <translation>모델이 없습니다. 라이브러리에서 고르거나 하나를 학습하십시오.</translation>
    </message>
    <message>
        <source>This model is for {h}×{w} images; the canvas is 28×28.</source>
        <translation>이 모델은 {h}×{w} 이미지용입니다. 캔버스는 28×28입니다.</translation>
    </message>
    <message>
        <source>scoring with this model …</source>
        <translation>이 모델로 점수 계산 중 …</translation>
    </message>
    <message>
        <source>scoring the drawing …</source>
        <translation>그림의 점수 계산 중 …</translation>
    </message>
    <message>
        <source>scoring {count} held-out digits …</source>
        <translation>검증용 숫자 {count}개의 점수 계산 중 …</translation>
    </message>
    <message>
        <source>Draw, and let the model score it</source>
        <extracomment>A text to show: a template marked for translation and the values it takes. Choices the window remembers between sessions.</extracomment>
        <translation>그리고, 모델이 점수를 매기게 하기</translation>
    </message>
    <message>
        <source>Draw with the left button, erase with the right; Ctrl+Z undoes a stroke</source>
        <translation>왼쪽 버튼으로 그리고 오른쪽 버튼으로 지웁니다. Ctrl+Z로 한 획을 되돌립니다</translation>
    </message>
    <message>
        <source>What the model is shown: the drawing normalised as MNIST digits are</source>
        <translation>모델이 보는 것: MNIST 숫자처럼 정규화한 그림</translation>
    </message>
    <message>
        <source>The surprise map&apos;s colours, in nats</source>
        <translation>놀라움 지도의 색 (nats)</translation>
    </message>
    <message>
        <source>brush</source>
        <translation>붓</translation>
    </message>
    <message>
        <source>eraser</source>
        <translation>지우개</translation>
    </message>
    <message>
        <source>Erase with the left button too</source>
        <translation>왼쪽 버튼으로도 지웁니다</translation>
    </message>
    <message>
        <source>Brush radius in pixels (0: a single pixel)</source>
        <translation>붓 반지름(픽셀, 0: 한 픽셀)</translation>
    </message>
    <message>
        <source>How white the soft brush paints at its centre (models of gray levels)</source>
        <translation>부드러운 붓이 가운데를 얼마나 하얗게 칠하는지 (회색 단계 모델)</translation>
    </message>
    <message>
        <source>surprise under the ink</source>
        <translation>잉크 아래 놀라움</translation>
    </message>
    <message>
        <source>Show the surprise map on the canvas itself, the ink outlined</source>
        <translation>캔버스 위에 놀라움 지도를 보이고 잉크는 윤곽선으로 표시합니다</translation>
    </message>
    <message>
        <source>normalise like MNIST</source>
        <translation>MNIST처럼 정규화</translation>
    </message>
    <message>
        <source>Before scoring, fit the drawing&apos;s bounding box into 20×20 pixels, centre its centre of mass in 28×28 and match MNIST&apos;s stroke width, as the MNIST digits were made</source>
        <translation>점수를 매기기 전에 MNIST 숫자를 만든 방식대로 그림의 경계 상자를 20×20 픽셀에 맞추고, 무게 중심을 28×28의 가운데에 두고, 획 두께를 MNIST에 맞춥니다</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>되돌리기</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>마지막 획 되돌리기 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
    <message>
        <source>Erase the whole drawing (Delete)</source>
        <translation>그림 전체 지우기 (Delete)</translation>
    </message>
    <message>
        <source>any</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>Which digit to load (any: a random one)</source>
        <translation>불러올 숫자 (아무거나: 무작위)</translation>
    </message>
    <message>
        <source>Load a real digit</source>
        <translation>실제 숫자 불러오기</translation>
    </message>
    <message>
        <source>Start from a held-out digit of {data} ({split} split)</source>
        <translation>{data}의 검증용 숫자에서 시작합니다 ({split} 분할)</translation>
    </message>
    <message>
        <source>The label of the digit that was loaded</source>
        <translation>불러온 숫자의 레이블</translation>
    </message>
    <message>
        <source>&lt;b&gt;your drawing&lt;/b&gt;</source>
        <translation>&lt;b&gt;내 그림&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;what the model sees&lt;/b&gt;</source>
        <translation>&lt;b&gt;모델이 보는 것&lt;/b&gt;</translation>
    </message>
    <message>
        <source>size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>ink</source>
        <translation>잉크</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>숫자</translation>
    </message>
    <message>
        <source>Where the drawing&apos;s log p(x) falls among held-out digits the model never trained on, prepared the same way as the drawing</source>
        <translation>모델이 학습하지 않은 검증용 숫자(그림과 같은 방식으로 준비)들 사이에서 그림의 log p(x)가 어디에 있는지</translation>
    </message>
    <message>
        <source>Is it a typical digit? log p(x), the amount of ink and its thickness, each tested two-sided against the held-out digits (1% level)</source>
        <translation>전형적인 숫자인가? log p(x), 잉크의 양과 두께를 각각 검증용 숫자와 양측 검정합니다 (유의 수준 1%)</translation>
    </message>
    <message>
        <source>log p(x) of held-out digits (nats)</source>
        <translation>검증용 숫자의 log p(x) (nats)</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>숫자 개수</translation>
    </message>
    <message>
        <source>class y</source>
        <translation>클래스 y</translation>
    </message>
    <message>
        <source>p(y | x) by Bayes&apos; rule from the class-conditional model</source>
        <translation>클래스 조건부 모델에서 베이즈 규칙으로 구한 p(y | x)</translation>
    </message>
    <message>
        <source>Exact log-likelihood of what the model sees, and the same in bits per pixel: −log₂ p(x) / 784</source>
        <translation>모델이 보는 것의 정확한 로그 우도, 그리고 픽셀당 비트로 나타낸 값: −log₂ p(x) / 784</translation>
    </message>
    <message>
        <source>Paint ink (left button): a soft brush, white at its centre and gray at its edge, for this model of gray levels</source>
        <translation>잉크 칠하기(왼쪽 버튼): 이 회색 단계 모델에서는 가운데는 하얗고 가장자리는 회색인 부드러운 붓</translation>
    </message>
    <message>
        <source>Paint ink (left button)</source>
        <translation>잉크 칠하기 (왼쪽 버튼)</translation>
    </message>
    <message>
        <source>−log p(x_i | x_&lt;i) at every pixel of your drawing (nats)</source>
        <translation>그림의 모든 픽셀에서의 −log p(x_i | x_&lt;i) (nats)</translation>
    </message>
    <message>
        <source>−log p(x_i | x_&lt;i) at every pixel of your drawing (nats), p a density on [0, 1]</source>
        <translation>그림의 모든 픽셀에서의 −log p(x_i | x_&lt;i) (nats), p는 [0, 1] 위의 밀도</translation>
    </message>
    <message>
        <source>held-out scores failed: {error}</source>
        <translation>검증용 숫자 점수 계산 실패: {error}</translation>
    </message>
    <message>
        <source>held-out digit: {name} (edited)</source>
        <translation>검증용 숫자: {name} (수정됨)</translation>
    </message>
    <message>
        <source>held-out digit: {name}</source>
        <translation>검증용 숫자: {name}</translation>
    </message>
    <message>
        <source>scoring failed: {error}</source>
        <translation>점수 계산 실패: {error}</translation>
    </message>
    <message>
        <source>Where this drawing&apos;s score (red line) falls among real digits; the green band holds 99% of them: the typical range</source>
        <translation>이 그림의 점수(빨간 선)가 실제 숫자들 사이에서 어디에 있는지. 초록 띠에 99%가 들어갑니다: 전형적 범위</translation>
    </message>
    <message>
        <source>log p(x) of {count} {source}, normalised as the drawing is. Red line: this drawing; green band: where 99% of the digits fall, the typical range</source>
        <translation>{source} {count}개의 log p(x), 그림처럼 정규화함. 빨간 선: 이 그림, 초록 띠: 숫자의 99%가 들어가는 전형적 범위</translation>
    </message>
    <message>
        <source>log p(x) of {count} {source}, as they are, as the drawing is. Red line: this drawing; green band: where 99% of the digits fall, the typical range</source>
        <translation>{source} {count}개의 log p(x), 그림처럼 그대로 사용함. 빨간 선: 이 그림, 초록 띠: 숫자의 99%가 들어가는 전형적 범위</translation>
    </message>
    <message>
        <source>log p(x) = {value} nats (a density)</source>
        <translation>log p(x) = {value} nats (밀도)</translation>
    </message>
    <message>
        <source>log p(x) = {value} nats</source>
        <translation>log p(x) = {value} nats</translation>
    </message>
    <message>
        <source>{bits} + log₂ {levels}: the density of the {levels}-level image dequantized, as flow papers report it</source>
        <translation>{bits} + log₂ {levels}: 플로 논문들이 보고하는 방식대로, {levels}단계 이미지를 역양자화한 밀도</translation>
    </message>
    <message>
        <source>Exact log-likelihood of what the model sees; scored in {ms} ms. Bits per pixel: {bits}</source>
        <translation>모델이 보는 것의 정확한 로그 우도. {ms} ms 동안 계산함. 픽셀당 비트: {bits}</translation>
    </message>
    <message>
        <source>Most probable class: {best} (p = {p})</source>
        <translation>가장 가능성 높은 클래스: {best} (p = {p})</translation>
    </message>
    <message>
        <source>ink {value}</source>
        <translation>잉크 {value}</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>빈칸</translation>
    </message>
    <message>
        <source>row {row}, column {column}</source>
        <translation>{row}행 {column}열</translation>
    </message>
    <message>
        <source>{where}: {ink}, −log p(x_i | x_&lt;i) = {surprise} nats</source>
        <translation>{where}: {ink}, −log p(x_i | x_&lt;i) = {surprise} nats</translation>
    </message>
    <message>
        <source>{where} of what the model sees: {ink}, −log p = {surprise} nats</source>
        <translation>모델이 보는 것의 {where}: {ink}, −log p = {surprise} nats</translation>
    </message>
</context>
</TS>
