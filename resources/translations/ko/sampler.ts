<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>SamplerPanel</name>
    <message>
        <source>
&lt;p&gt;Sampling follows the chain rule: for k = 1 … n, draw
x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; ~ p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; |
x&lt;sub&gt;o&lt;sub&gt;&amp;lt;k&lt;/sub&gt;&lt;/sub&gt;), then condition on it. The plot shows that
distribution for the pixel being drawn: two bars (a Bernoulli) for a binary
pixel, K bars (a softmax) for K gray levels, and for a continuous pixel a
&lt;b&gt;mixture of Gaussians&lt;/b&gt;, the sum of its weighted components. Sampling is
sequential by nature — n steps for n pixels — but each step can reuse what the
previous ones computed: NADE updates its hidden pre-activation in O(H), the
LSTMs keep their states. The &lt;b&gt;temperature&lt;/b&gt; T sharpens (T &amp;lt; 1) or
flattens (T &amp;gt; 1) every conditional: σ(logit / T) for a binary pixel.
&lt;b&gt;Completion&lt;/b&gt; keeps the pixels of your drawing and samples the rest,
conditioned on them.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;샘플링(sampling)은 연쇄 법칙(chain rule)을 따릅니다. k = 1 … n에 대해
x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; ~ p(x&lt;sub&gt;o&lt;sub&gt;k&lt;/sub&gt;&lt;/sub&gt; |
x&lt;sub&gt;o&lt;sub&gt;&amp;lt;k&lt;/sub&gt;&lt;/sub&gt;)를 뽑고, 그 값을 조건으로 삼습니다. 그래프는 지금 그리는
픽셀의 이 조건부 분포를 보여 줍니다. 이진 픽셀은 막대 두 개(베르누이, Bernoulli),
K개의 회색 단계는 막대 K개(소프트맥스, softmax), 연속 픽셀은 가중치를 준 성분들의 합인
&lt;b&gt;가우스 혼합(mixture of Gaussians)&lt;/b&gt;입니다. 샘플링은 본래 순차적이어서 픽셀 n개에
n단계가 걸리지만, 각 단계는 앞 단계의 계산을 다시 쓸 수 있습니다. NADE는 은닉 사전 활성값을
O(H)로 갱신하고, LSTM은 상태를 유지합니다. &lt;b&gt;온도(temperature)&lt;/b&gt; T는 모든 조건부 분포를
날카롭게(T &amp;lt; 1) 하거나 평평하게(T &amp;gt; 1) 합니다. 이진 픽셀이면 σ(logit / T)입니다.
&lt;b&gt;완성(completion)&lt;/b&gt;은 내 그림의 픽셀을 그대로 두고, 나머지를 그 픽셀들에 조건부로
샘플링합니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>No model: pick one in the library, or train one.</source>
        <translation>모델이 없습니다. 라이브러리에서 고르거나 하나를 학습하십시오.</translation>
    </message>
    <message>
        <source>Press Play, or Step through the pixels.</source>
        <translation>재생을 누르거나, 한 단계씩 픽셀을 진행하십시오.</translation>
    </message>
    <message>
        <source>The pixel being drawn shows its distribution p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;) here: press Step.</source>
        <translation>지금 그리는 픽셀의 분포 p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)가 여기에 나타납니다. 한 단계를 누르십시오.</translation>
    </message>
    <message>
        <source>past</source>
        <extracomment>The word &quot;past&quot; in :data:`PROBABILITY` and :data:`EXPECTED`, translated.</extracomment>
        <translation>과거</translation>
    </message>
    <message>
        <source>Cannot sample: {error}</source>
        <translation>샘플링할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Sampling, one pixel at a time</source>
        <extracomment>What the info line says: &quot;message&quot; (``_message``), &quot;ready&quot;, &quot;step&quot; (the last step drawn) or &quot;finished&quot;; re-rendered on a language change. Choices the window remembers between sessions.</extracomment>
        <translation>샘플링, 한 번에 한 픽셀씩</translation>
    </message>
    <message>
        <source>How many images to sample at once</source>
        <translation>한 번에 샘플링할 이미지 수</translation>
    </message>
    <message>
        <source>T: each pixel&apos;s distribution is sharpened (T &lt; 1) or flattened (T &gt; 1); a binary pixel is drawn from σ(logit / T)</source>
        <translation>T: 각 픽셀의 분포를 날카롭게(T &lt; 1) 하거나 평평하게(T &gt; 1) 합니다. 이진 픽셀은 σ(logit / T)에서 뽑습니다</translation>
    </message>
    <message>
        <source>The same seed gives the same samples</source>
        <translation>같은 시드는 같은 샘플을 만듭니다</translation>
    </message>
    <message>
        <source>New seed</source>
        <translation>새 시드</translation>
    </message>
    <message>
        <source>Pick a random seed and start again</source>
        <translation>무작위 시드를 골라 다시 시작합니다</translation>
    </message>
    <message>
        <source>The class to sample (class-conditional models)</source>
        <translation>샘플링할 클래스 (클래스 조건부 모델)</translation>
    </message>
    <message>
        <source>each image its own</source>
        <translation>이미지마다 다르게</translation>
    </message>
    <message>
        <source>Complete my drawing</source>
        <translation>내 그림 완성하기</translation>
    </message>
    <message>
        <source>Keep the canvas drawing up to its last stroke (in the model&apos;s order) and sample the rest</source>
        <translation>캔버스 그림을 (모델의 순서로) 마지막 획까지 그대로 두고 나머지를 샘플링합니다</translation>
    </message>
    <message>
        <source>Pixels per second, from 2 to as fast as the model goes</source>
        <translation>초당 픽셀 수: 2부터 모델이 낼 수 있는 최대 속도까지</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>재생 또는 일시 정지 (Space)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>한 단계</translation>
    </message>
    <message>
        <source>Draw one pixel (→)</source>
        <translation>픽셀 하나 그리기 (→)</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>다시 시작</translation>
    </message>
    <message>
        <source>Start again with the current settings (R)</source>
        <translation>현재 설정으로 다시 시작 (R)</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG 내보내기…</translation>
    </message>
    <message>
        <source>Save the images as a PNG</source>
        <translation>이미지를 PNG로 저장합니다</translation>
    </message>
    <message>
        <source>Export GIF…</source>
        <translation>GIF 내보내기…</translation>
    </message>
    <message>
        <source>Save the animation so far as an animated GIF</source>
        <translation>지금까지의 애니메이션을 움직이는 GIF로 저장합니다</translation>
    </message>
    <message>
        <source>Pixels drawn</source>
        <translation>그린 픽셀</translation>
    </message>
    <message>
        <source>p(x_i = 1 | x_&lt;i) of the pixel just drawn (for a gray model, its expected value E[x_i | x_&lt;i]), first image</source>
        <translation>방금 그린 픽셀의 p(x_i = 1 | x_&lt;i) (회색 모델이면 기댓값 E[x_i | x_&lt;i]), 첫 번째 이미지</translation>
    </message>
    <message>
        <source>p(x_i | x_&lt;i) of the pixel being drawn in the first image, as the model gives it (temperature 1); the red line is the value drawn</source>
        <translation>첫 번째 이미지에서 지금 그리는 픽셀의 p(x_i | x_&lt;i), 모델이 주는 그대로(온도 1). 빨간 선은 뽑힌 값입니다</translation>
    </message>
    <message>
        <source>images</source>
        <translation>이미지 수</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>온도</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>speed</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>the drawing and the model have different sizes</source>
        <translation>그림과 모델의 크기가 다릅니다</translation>
    </message>
    <message>
        <source>step {step} of {total}: row {row}, column {column} (given)</source>
        <translation>{total}단계 중 {step}단계: {row}행 {column}열 (주어짐)</translation>
    </message>
    <message>
        <source>step {step} of {total}: row {row}, column {column}</source>
        <translation>{total}단계 중 {step}단계: {row}행 {column}열</translation>
    </message>
    <message>
        <source>&lt;b&gt;p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt; at row {row}, column {column} of image 1: {shows}</source>
        <translation>이미지 1의 {row}행 {column}열에서 &lt;b&gt;p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)&lt;/b&gt;: {shows}</translation>
    </message>
    <message>
        <source>The number at each image&apos;s corner is the class it was sampled as.</source>
        <translation>각 이미지 모서리의 숫자는 그 이미지를 샘플링한 클래스입니다.</translation>
    </message>
    <message>
        <source>Done: all {pixels} pixels of {images} images drawn. Restart (R) or pick a new seed for more.</source>
        <translation>완료: 이미지 {images}개의 픽셀 {pixels}개를 모두 그렸습니다. 더 보려면 다시 시작(R)하거나 새 시드를 고르십시오.</translation>
    </message>
    <message>
        <source>Done: all {pixels} pixels of {images} image drawn. Restart (R) or pick a new seed for more.</source>
        <translation>완료: 이미지 {images}개의 픽셀 {pixels}개를 모두 그렸습니다. 더 보려면 다시 시작(R)하거나 새 시드를 고르십시오.</translation>
    </message>
    <message>
        <source>not drawn yet</source>
        <translation>아직 그리지 않음</translation>
    </message>
    <message>
        <source>{name} = {p}, drawn {value}</source>
        <translation>{name} = {p}, 뽑힌 값 {value}</translation>
    </message>
    <message>
        <source>image {image}, row {row}, column {column}</source>
        <translation>이미지 {image}, {row}행 {column}열</translation>
    </message>
    <message>
        <source>image {image} (class {label}), row {row}, column {column}</source>
        <translation>이미지 {image} (클래스 {label}), {row}행 {column}열</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG 내보내기</translation>
    </message>
    <message>
        <source>Export GIF</source>
        <translation>GIF 내보내기</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>saved {path} ({frames} frames)</source>
        <translation>{path}에 저장했습니다 (프레임 {frames}개)</translation>
    </message>
    <message>
        <source>{value} (level {level} of 0–{top})</source>
        <translation>{value} (0–{top} 중 {level}단계)</translation>
    </message>
    <message>
        <source>a Bernoulli, one bar for 0 (black) and one for 1 (white).</source>
        <translation>베르누이 분포: 0(검정)과 1(흰색)에 막대 하나씩.</translation>
    </message>
    <message>
        <source>a {levels}-way softmax, one bar per gray level.</source>
        <translation>{levels}가지 소프트맥스: 회색 단계마다 막대 하나.</translation>
    </message>
    <message>
        <source>a discretized mixture of {components} logistics over {levels} levels, one bar per level.</source>
        <translation>{levels}단계 위의 로지스틱 {components}개의 이산화 혼합: 단계마다 막대 하나.</translation>
    </message>
    <message>
        <source>a mixture of {components} Gaussians on [0, 1]: the density, and each weighted component dashed.</source>
        <translation>[0, 1] 위의 가우스 {components}개의 혼합: 밀도와, 점선으로 그린 가중 성분들.</translation>
    </message>
    <message>
        <source>{name}, bars over its levels.</source>
        <translation>{name}: 단계별 막대.</translation>
    </message>
    <message>
        <source>{name}, its density.</source>
        <translation>{name}: 밀도.</translation>
    </message>
</context>
</TS>
