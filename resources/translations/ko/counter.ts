<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>CounterPanel</name>
    <message>
        <source>
&lt;p&gt;A joint distribution over n pixels with K values each has K&lt;sup&gt;n&lt;/sup&gt;
configurations, so writing it down needs &lt;b&gt;K&lt;sup&gt;n&lt;/sup&gt; − 1&lt;/b&gt; numbers.
Every model here is a way to need fewer: &lt;b&gt;independence&lt;/b&gt;
p(x) = Π&lt;sub&gt;i&lt;/sub&gt; p(x&lt;sub&gt;i&lt;/sub&gt;) needs n(K − 1); a &lt;b&gt;Markov chain of order
k&lt;/b&gt; p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;i−k&lt;/sub&gt;, …, x&lt;sub&gt;i−1&lt;/sub&gt;) needs about
n(K − 1)K&lt;sup&gt;k&lt;/sup&gt;; &lt;b&gt;FVSBN&lt;/b&gt; makes each conditional a logistic regression
on all earlier pixels, n(n + 1)/2; &lt;b&gt;NADE&lt;/b&gt; shares one hidden layer across the
conditionals, 2nH + n + H; &lt;b&gt;MADE&lt;/b&gt; masks an autoencoder. The convolutional
and recurrent models share their weights across positions: their counts do not
grow with n at all.&lt;/p&gt;
&lt;p&gt;A network&apos;s &lt;b&gt;output head&lt;/b&gt; gives P numbers per pixel: one logit for a
binary pixel, K logits for a softmax over K levels, and 3M for a mixture of M
components (a weight, a location and a scale each; the RNADE and MADE MoG
conditionals). Only the layers that produce them grow with P.&lt;/p&gt;</source>
        <translation>
&lt;p&gt;픽셀 n개가 저마다 K가지 값을 가지면 가능한 배치는 K&lt;sup&gt;n&lt;/sup&gt;가지이므로,
결합 분포(joint distribution)를 그대로 적으려면 &lt;b&gt;K&lt;sup&gt;n&lt;/sup&gt; − 1&lt;/b&gt;개의 수가
필요합니다(확률의 합이 1이므로 하나는 나머지로 정해집니다). 여기 나오는 모델은 모두 이 수를
줄이는 방법입니다. &lt;b&gt;독립(independence)&lt;/b&gt;을 가정하면
p(x) = Π&lt;sub&gt;i&lt;/sub&gt; p(x&lt;sub&gt;i&lt;/sub&gt;)이므로 n(K − 1)개면 됩니다.
&lt;b&gt;k차 마르코프 연쇄(Markov chain of order k)&lt;/b&gt;는 바로 앞 k개 픽셀이 주어지면 각 픽셀이
그보다 앞선 픽셀과 조건부 독립(conditional independence)이라는 마르코프 가정(Markov assumption)으로
p(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;i−k&lt;/sub&gt;, …, x&lt;sub&gt;i−1&lt;/sub&gt;)만 남기며, 약
n(K − 1)K&lt;sup&gt;k&lt;/sup&gt;개가 필요합니다. &lt;b&gt;FVSBN&lt;/b&gt;은 각 조건부 분포를 앞선 모든 픽셀에 대한
로지스틱 회귀로 만들어 n(n + 1)/2개, &lt;b&gt;NADE&lt;/b&gt;는 은닉층 하나를 모든 조건부 분포가 함께 써서
2nH + n + H개가 필요하고, &lt;b&gt;MADE&lt;/b&gt;는 오토인코더에 마스크를 씌웁니다. 합성곱 모델과 순환 모델은
모든 위치에서 같은 가중치를 공유하므로 매개변수(parameter) 수가 n과 함께 전혀 늘지 않습니다.&lt;/p&gt;
&lt;p&gt;네트워크의 &lt;b&gt;출력 헤드(output head)&lt;/b&gt;는 픽셀마다 P개의 수를 내놓습니다. 이진 픽셀이면 로짓 하나,
K단계 softmax이면 로짓 K개, 성분 M개의 혼합 분포이면 3M개입니다(성분마다 가중치, 위치, 척도 하나씩:
RNADE와 MADE MoG의 조건부 분포). P에 따라 커지는 것은 이 수를 만드는 층뿐입니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{mantissa} × 10{power} ({digits} digits)</source>
        <extracomment>The largest model *Verify* builds (float32 weights: 4 bytes each).</extracomment>
        <translation>{mantissa} × 10{power} ({digits}자리)</translation>
    </message>
    <message>
        <source>= {exact}
({digits} digits)</source>
        <translation>= {exact}
({digits}자리)</translation>
    </message>
    <message>
        <source>≈ {mantissa} × 10^{exponent}
({digits} digits: too many to show each one; the exact digits are shown up to {limit})</source>
        <translation>≈ {mantissa} × 10^{exponent}
({digits}자리: 너무 많아 모두 보일 수 없습니다. 정확한 자릿수는 {limit}자리까지 보입니다)</translation>
    </message>
    <message>
        <source>softmax over K</source>
        <extracomment>The heads the form offers: (likelihood, title). At K = 2 the softmax is the binary models&apos; one logit (Bernoulli).</extracomment>
        <translation>K단계 softmax</translation>
    </message>
    <message>
        <source>logistic mixture</source>
        <translation>로지스틱 혼합</translation>
    </message>
    <message>
        <source>Gaussian mixture</source>
        <translation>가우스 혼합</translation>
    </message>
    <message>
        <source>built as a Markov chain of order {order} (= n − 1): the chain rule with a full table for every pixel</source>
        <extracomment>The full joint&apos;s note under *Verify*: how the library builds it.</extracomment>
        <translation>{order}차(= n − 1) 마르코프 연쇄로 만듦: 모든 픽셀에 완전한 표를 둔 연쇄 법칙</translation>
    </message>
    <message>
        <source>P = 1 (one logit: a binary pixel)</source>
        <translation>P = 1 (로짓 하나: 이진 픽셀)</translation>
    </message>
    <message>
        <source>P = K = {k} (a softmax over K levels)</source>
        <translation>P = K = {k} (K단계 softmax)</translation>
    </message>
    <message>
        <source>P = 3M = {p} (M = {m} discretized logistics)</source>
        <translation>P = 3M = {p} (이산화 로지스틱 M = {m}개)</translation>
    </message>
    <message>
        <source>P = 3M = {p} (M = {m} Gaussians)</source>
        <translation>P = 3M = {p} (가우스 분포 M = {m}개)</translation>
    </message>
    <message>
        <source>a binary head</source>
        <translation>이진 출력 헤드</translation>
    </message>
    <message>
        <source>a softmax over K levels</source>
        <translation>K단계 softmax</translation>
    </message>
    <message>
        <source>a logistic mixture head</source>
        <translation>로지스틱 혼합 출력 헤드</translation>
    </message>
    <message>
        <source>a Gaussian mixture head</source>
        <translation>가우스 혼합 출력 헤드</translation>
    </message>
    <message>
        <source>K states</source>
        <extracomment>The settings&apos; labels, in the form&apos;s order (names and symbols stay).</extracomment>
        <translation>상태 수 K</translation>
    </message>
    <message>
        <source>pixel head</source>
        <translation>픽셀 출력 헤드</translation>
    </message>
    <message>
        <source>channels</source>
        <translation>채널 수</translation>
    </message>
    <message>
        <source>Markov order k</source>
        <translation>마르코프 차수 k</translation>
    </message>
    <message>
        <source>MADE hidden</source>
        <translation>MADE 은닉층</translation>
    </message>
    <message>
        <source>Why count parameters?</source>
        <translation>매개변수를 왜 세는가?</translation>
    </message>
    <message>
        <source>Image height H (pixels)</source>
        <translation>이미지 높이 H (픽셀)</translation>
    </message>
    <message>
        <source>Image width W (pixels)</source>
        <translation>이미지 너비 W (픽셀)</translation>
    </message>
    <message>
        <source>K, the number of values a pixel takes</source>
        <translation>K: 픽셀 하나가 가질 수 있는 값의 개수</translation>
    </message>
    <message>
        <source>M, the components of a mixture head</source>
        <translation>M: 혼합 출력 헤드의 성분 수</translation>
    </message>
    <message>
        <source>k, how many previous pixels a Markov chain sees</source>
        <translation>k: 마르코프 연쇄가 보는 이전 픽셀 수</translation>
    </message>
    <message>
        <source>H, NADE&apos;s hidden units</source>
        <translation>H: NADE의 은닉 유닛 수</translation>
    </message>
    <message>
        <source>Feature maps of the spatial models</source>
        <translation>공간 모델(합성곱·순환 모델)의 특징 맵 수</translation>
    </message>
    <message>
        <source>MADE&apos;s hidden layer widths, comma-separated, e.g. 500,500</source>
        <translation>MADE 은닉층의 너비, 쉼표로 구분 (예: 500,500)</translation>
    </message>
    <message>
        <source>What a network outputs per pixel: K logits (one when K = 2), or 3M numbers for a mixture of M components</source>
        <translation>네트워크가 픽셀마다 내놓는 수: 로짓 K개(K = 2이면 하나), 또는 성분 M개의 혼합이면 3M개</translation>
    </message>
    <message>
        <source>structure</source>
        <translation>구조</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>매개변수 수</translation>
    </message>
    <message>
        <source>formula</source>
        <translation>식</translation>
    </message>
    <message>
        <source>Select a structure to see its exact count, formula and check</source>
        <translation>구조를 선택하면 정확한 개수, 식, 검증 결과를 볼 수 있습니다</translation>
    </message>
    <message>
        <source>The exact count of the selected structure, every digit</source>
        <translation>선택한 구조의 정확한 개수 (모든 자릿수)</translation>
    </message>
    <message>
        <source>Verify with the real model</source>
        <translation>실제 모델로 검증</translation>
    </message>
    <message>
        <source>Build the torch model of the selected structure and count its parameters</source>
        <translation>선택한 구조의 torch 모델을 만들어 매개변수를 셉니다</translation>
    </message>
    <message>
        <source>building the model …</source>
        <translation>모델을 만드는 중 …</translation>
    </message>
    <message>
        <source>Why no counts are shown</source>
        <translation>개수가 표시되지 않는 이유</translation>
    </message>
    <message>
        <source>What P, the head&apos;s numbers per pixel, is</source>
        <translation>P(출력 헤드가 픽셀마다 내놓는 수)가 무엇인지</translation>
    </message>
    <message>
        <source>n, the number of pixels (log scale)</source>
        <translation>n, 픽셀 수 (로그 척도)</translation>
    </message>
    <message>
        <source>log₁₀ parameters (6 = a million)</source>
        <translation>log₁₀ 매개변수 수 (6 = 백만)</translation>
    </message>
    <message>
        <source>Parameter count against n, both on log scales</source>
        <translation>n에 따른 매개변수 수 (두 축 모두 로그 척도)</translation>
    </message>
    <message>
        <source>Each structure&apos;s line in the plot</source>
        <translation>그래프에서 각 구조의 선</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>매개변수 개수</translation>
    </message>
    <message>
        <source>Parameters against fit</source>
        <translation>매개변수 대 적합도</translation>
    </message>
    <message>
        <source>Every model shipped on binarized MNIST: parameters against validation NLL</source>
        <translation>이진화 MNIST로 함께 제공되는 모든 모델: 매개변수 수 대 검증 NLL</translation>
    </message>
    <message>
        <source>fitting by counting …</source>
        <translation>빈도를 세어 학습하는 중 …</translation>
    </message>
    <message>
        <source>The chart cannot be drawn: {problem}</source>
        <translation>차트를 그릴 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>Loading {name} …</source>
        <translation>{name} 불러오는 중 …</translation>
    </message>
    <message>
        <source>Not shipped</source>
        <translation>함께 제공되지 않는 모델</translation>
    </message>
    <message>
        <source>{name} is not shipped: its table has {params} parameters ({size}). It is fitted by counting on binarized MNIST, which was not found on this computer. With the data, this command makes it in seconds:

{command}</source>
        <translation>{name}은(는) 함께 제공되지 않습니다. 이 모델의 표에는 매개변수가 {params}개({size}) 있습니다. 이진화 MNIST에서 빈도를 세어 학습하는데, 이 컴퓨터에서 그 데이터를 찾지 못했습니다. 데이터가 있으면 다음 명령으로 몇 초 만에 만들 수 있습니다:

{command}</translation>
    </message>
    <message>
        <source>Regenerate {name}?</source>
        <translation>{name}을(를) 다시 만드시겠습니까?</translation>
    </message>
    <message>
        <source>{name} is not shipped: its table has {params} parameters ({size}). Fit it now by counting on binarized MNIST (seconds) and save it in your library?</source>
        <translation>{name}은(는) 함께 제공되지 않습니다. 이 모델의 표에는 매개변수가 {params}개({size}) 있습니다. 지금 이진화 MNIST에서 빈도를 세어 학습하고(몇 초) 내 라이브러리에 저장하시겠습니까?</translation>
    </message>
    <message>
        <source>Made {name} by counting in {seconds} s: validation NLL {nll} nats</source>
        <translation>빈도를 세어 {name}을(를) {seconds}초 만에 만들었습니다: 검증 NLL {nll} nats</translation>
    </message>
    <message>
        <source>{name} could not be made: {problem}</source>
        <translation>{name}을(를) 만들 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>Networks&apos; head: {head} per pixel.</source>
        <translation>네트워크의 출력 헤드: 픽셀마다 {head}.</translation>
    </message>
    <message>
        <source>Not built with {head}: {names}.</source>
        <translation>{head}로 만들지 않는 구조: {names}.</translation>
    </message>
    <message>
        <source>No counts: {reason}.</source>
        <translation>개수를 셀 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>The fully dependent joint is a Markov chain of order n − 1 = {order}: the chain rule with a full table for every pixel. For K = {k} the library builds orders up to {longest}, so this check works up to {pixels} pixels (try {shape}).</source>
        <translation>완전 의존 결합 분포는 n − 1 = {order}차 마르코프 연쇄, 곧 모든 픽셀에 완전한 표를 둔 연쇄 법칙입니다. K = {k}일 때 라이브러리는 {longest}차까지 만들므로 이 검증은 {pixels}픽셀까지 됩니다({shape}로 해 보십시오).</translation>
    </message>
    <message>
        <source>No torch model of this structure.</source>
        <translation>이 구조에는 torch 모델이 없습니다.</translation>
    </message>
    <message>
        <source>{count} numbers: more than any memory holds.</source>
        <translation>수 {count}개: 어떤 메모리에도 담을 수 없습니다.</translation>
    </message>
    <message>
        <source>{count} numbers would take {size} as float32: too large to build here.</source>
        <translation>수 {count}개는 float32로 {size}를 차지합니다: 여기서 만들기에는 너무 큽니다.</translation>
    </message>
    <message>
        <source>Cannot build it: {problem}</source>
        <translation>만들 수 없습니다: {problem}</translation>
    </message>
    <message>
        <source>building {name} for {h}×{w} …</source>
        <translation>{h}×{w}용 {name} 만드는 중 …</translation>
    </message>
    <message>
        <source>✓ equal</source>
        <translation>✓ 같음</translation>
    </message>
    <message>
        <source>✗ DIFFERENT</source>
        <translation>✗ 다름</translation>
    </message>
    <message>
        <source>formula: {substituted} = {value}
torch: sum(p.numel() for p in {name}.parameters()) = {numel}{note}  {mark}</source>
        <translation>식: {substituted} = {value}
torch: sum(p.numel() for p in {name}.parameters()) = {numel}{note}  {mark}</translation>
    </message>
    <message>
        <source>{name}: torch counts {numel}, the formula {value}</source>
        <translation>{name}: torch로 센 값 {numel}, 식의 값 {value}</translation>
    </message>
    <message>
        <source>{size} bytes</source>
        <extracomment>The narrowest the name and formula columns get (they elide; counts never do).</extracomment>
        <translation>{size}바이트</translation>
    </message>
</context>
</TS>
