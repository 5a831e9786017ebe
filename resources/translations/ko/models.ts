<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>models</name>
    <message>
        <source>Independent pixels</source>
        <translation>독립 픽셀</translation>
    </message>
    <message>
        <source>every pixel is an independent coin: no hidden units at all</source>
        <extracomment>The numbers of labelled training digits compared; 0 stands for all of them. Cells per side of the grid a spatial model&apos;s last feature maps are averaged on.</extracomment>
        <translation>모든 픽셀이 독립된 동전입니다: 은닉 유닛이 전혀 없습니다</translation>
    </message>
    <message>
        <source>each pixel reads the k pixels before it through a table: no hidden units</source>
        <translation>각 픽셀은 표를 통해 앞의 픽셀 k개를 읽습니다: 은닉 유닛이 없습니다</translation>
    </message>
    <message>
        <source>each pixel is a logistic regression on the pixels before it: no hidden units</source>
        <translation>각 픽셀은 앞 픽셀들에 대한 로지스틱 회귀입니다: 은닉 유닛이 없습니다</translation>
    </message>
    <message>
        <source>it has no hidden units</source>
        <translation>은닉 유닛이 없습니다</translation>
    </message>
    <message>
        <source>{title} has no hidden features — {reason}.</source>
        <translation>{title}에는 은닉 특징이 없습니다 — {reason}.</translation>
    </message>
    <message>
        <source>layer {number}</source>
        <translation>{number}번째 층</translation>
    </message>
    <message>
        <source>first (mask A)</source>
        <translation>첫 층 (마스크 A)</translation>
    </message>
    <message>
        <source>input weights W</source>
        <translation>입력 가중치 W</translation>
    </message>
    <message>
        <source>first hidden layer&apos;s masked weights</source>
        <translation>첫 은닉층의 마스크된 가중치</translation>
    </message>
    <message>
        <source>first layer&apos;s kernels</source>
        <translation>첫 층의 커널</translation>
    </message>
    <message>
        <source>its hidden units are not maps</source>
        <translation>은닉 유닛이 맵이 아닙니다</translation>
    </message>
    <message>
        <source>silencing each unit</source>
        <translation>유닛을 하나씩 끄는 중</translation>
    </message>
    <message>
        <source>computing the model&apos;s features</source>
        <translation>모델의 특징 계산 중</translation>
    </message>
    <message>
        <source>training the classifiers</source>
        <translation>분류기 학습 중</translation>
    </message>
    <message>
        <source>features, {count} labels</source>
        <translation>특징, 레이블 {count}개</translation>
    </message>
    <message>
        <source>pixels, {count} labels</source>
        <translation>픽셀, 레이블 {count}개</translation>
    </message>
    <message>
        <source>Markov AR-k</source>
        <extracomment>Largest supported window. The most contexts (K^k, configurations of a window) a pixel&apos;s table may have. The most (image, pixel, corner context) triples one chunk of the interpolation path holds: 2^22 of them take some 100 MB with their codes, weights and looked-up rows.</extracomment>
        <translation>마르코프 AR-k</translation>
    </message>
    <message>
        <source>raster</source>
        <extracomment>Every ordering name :func:`make_ordering` accepts. The names as words the app translates (it shows them under context &quot;models&quot;).</extracomment>
        <translation>래스터</translation>
    </message>
    <message>
        <source>column</source>
        <translation>열 단위</translation>
    </message>
    <message>
        <source>snake</source>
        <translation>뱀 모양</translation>
    </message>
    <message>
        <source>diagonal</source>
        <translation>대각선</translation>
    </message>
    <message>
        <source>hilbert</source>
        <translation>힐베르트</translation>
    </message>
    <message>
        <source>spiral</source>
        <translation>나선</translation>
    </message>
    <message>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>Larochelle &amp; Murray 2011 (comparison)</source>
        <translation>Larochelle &amp; Murray 2011 (비교 결과)</translation>
    </message>
    <message>
        <source>NADE, 500 sigmoid units</source>
        <translation>NADE, 시그모이드 유닛 500개</translation>
    </message>
    <message>
        <source>MADE, 1 hidden layer, 1 mask</source>
        <translation>MADE, 은닉층 1개, 마스크 1개</translation>
    </message>
    <message>
        <source>Diagonal BiLSTM, 1 layer, h = 32</source>
        <translation>Diagonal BiLSTM, 층 1개, h = 32</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>small</source>
        <translation>작게</translation>
    </message>
    <message>
        <source>large</source>
        <translation>크게</translation>
    </message>
    <message>
        <source>paper</source>
        <translation>논문 크기</translation>
    </message>
    <message>
        <source>deep</source>
        <translation>깊게</translation>
    </message>
    <message>
        <source>paper-deep</source>
        <translation>논문 크기, 깊게</translation>
    </message>
    <message>
        <source>held-out digits</source>
        <extracomment>Significance of each two-sided check: a real digit is flagged by one check about 1 time in 100. A drawing whose ink spans fewer pixels than this (MNIST digits span 20 of 28) is a dot or a speck, however it scores. Where the reference digits come from, unless the caller names them.</extracomment>
        <translation>검증용 숫자</translation>
    </message>
    <message>
        <source>nothing drawn</source>
        <translation>아무것도 그리지 않음</translation>
    </message>
    <message>
        <source>not checked yet: the held-out digits are being scored</source>
        <translation>아직 확인 전: 검증용 숫자의 점수를 계산하고 있습니다</translation>
    </message>
    <message>
        <source>too likely to be a digit (nearly empty?)</source>
        <translation>숫자라기엔 너무 확률이 높음 (거의 비어 있나요?)</translation>
    </message>
    <message>
        <source>too small to be a digit (a dot?)</source>
        <translation>숫자라기엔 너무 작음 (점인가요?)</translation>
    </message>
    <message>
        <source>unlike any digit</source>
        <translation>어떤 숫자와도 닮지 않음</translation>
    </message>
    <message>
        <source>typical digit</source>
        <translation>전형적인 숫자</translation>
    </message>
    <message>
        <source>More likely than all {count} {source}: more likely than any real digit, which is suspicious: an almost empty image is the single most probable picture, but it is not a typical digit.</source>
        <translation>{source} {count}개 모두보다 확률이 높습니다. 어떤 실제 숫자보다도 확률이 높다는 것은 의심스럽습니다: 거의 빈 이미지가 가장 확률이 높은 그림이지만, 전형적인 숫자는 아닙니다.</translation>
    </message>
    <message>
        <source>More likely than {share:.1f}% of {count} {source}: more likely than almost every real digit: the most probable pictures are the emptiest and simplest, not the typical ones.</source>
        <translation>{source} {count}개 중 {share:.1f}%보다 확률이 높습니다. 거의 모든 실제 숫자보다 확률이 높습니다: 가장 확률이 높은 그림은 전형적인 그림이 아니라 가장 비어 있고 단순한 그림입니다.</translation>
    </message>
    <message>
        <source>Less likely than all {count} {source}: unlike every one of them.</source>
        <translation>{source} {count}개 모두보다 확률이 낮습니다: 그중 어느 것과도 닮지 않았습니다.</translation>
    </message>
    <message>
        <source>Less likely than almost every digit: only {share:.1f}% of {count} {source} score lower.</source>
        <translation>거의 모든 숫자보다 확률이 낮습니다: {source} {count}개 중 {share:.1f}%만 점수가 더 낮습니다.</translation>
    </message>
    <message>
        <source>More likely than {share:.1f}% of {count} {source}, among real digits.</source>
        <translation>{source} {count}개 중 {share:.1f}%보다 확률이 높아, 실제 숫자들 사이에 있습니다.</translation>
    </message>
    <message>
        <source>The canvas is blank: draw a digit, or load a real one.</source>
        <translation>캔버스가 비어 있습니다. 숫자를 그리거나 실제 숫자를 불러오십시오.</translation>
    </message>
    <message>
        <source>The ink spans only {extent} pixel; a handwritten digit is many times taller.</source>
        <translation>잉크가 겨우 {extent}픽셀에 걸쳐 있습니다. 손글씨 숫자는 몇 배나 더 큽니다.</translation>
    </message>
    <message>
        <source>The ink spans only {extent} pixels; a handwritten digit is many times taller.</source>
        <translation>잉크가 겨우 {extent}픽셀에 걸쳐 있습니다. 손글씨 숫자는 몇 배나 더 큽니다.</translation>
    </message>
    <message>
        <source>log p(x) is higher than for almost every held-out digit (two-sided p = {p:.3f}): the most probable pictures are nearly empty ones.</source>
        <translation>log p(x)가 거의 모든 검증용 숫자보다 높습니다 (양측 p = {p:.3f}): 가장 확률이 높은 그림은 거의 빈 그림입니다.</translation>
    </message>
    <message>
        <source>log p(x) is higher than for almost every held-out digit (two-sided p = {p:.3f}): cleaner and simpler than real handwriting, though its ink, size and thickness are a digit&apos;s.</source>
        <translation>log p(x)가 거의 모든 검증용 숫자보다 높습니다 (양측 p = {p:.3f}): 잉크의 양, 크기, 두께는 숫자와 같지만 실제 손글씨보다 깔끔하고 단순합니다.</translation>
    </message>
    <message>
        <source>log p(x) is lower than for almost every held-out digit (two-sided p = {p:.3f}).</source>
        <translation>log p(x)가 거의 모든 검증용 숫자보다 낮습니다 (양측 p = {p:.3f}).</translation>
    </message>
    <message>
        <source>More ink than almost every digit: {ink} pixels, where 99% of digits have {low}–{high}.</source>
        <translation>거의 모든 숫자보다 잉크가 많습니다: {ink}픽셀인데, 숫자의 99%는 {low}–{high}픽셀입니다.</translation>
    </message>
    <message>
        <source>Less ink than almost every digit: {ink} pixels, where 99% of digits have {low}–{high}.</source>
        <translation>거의 모든 숫자보다 잉크가 적습니다: {ink}픽셀인데, 숫자의 99%는 {low}–{high}픽셀입니다.</translation>
    </message>
    <message>
        <source>Solid patches of ink about {across} pixels across; in 99% of digits the ink is at most {usual} pixels thick.</source>
        <translation>폭이 약 {across}픽셀인 꽉 찬 잉크 덩어리가 있습니다. 숫자의 99%는 잉크 두께가 {usual}픽셀 이하입니다.</translation>
    </message>
    <message>
        <source>independent</source>
        <extracomment>Counts with at most this many digits are kept as exact ``int`` (Python&apos;s default int-string limit, 4,300 digits, still prints and parses them). The largest size a count accepts: pixels, Markov order, states, units, classes. The most layers a count accepts (MADE&apos;s hidden layers, a spatial model&apos;s). The largest model built to compare ``numel`` with a count (800 MB as float32). Leading digits a :class:`Magnitude` keeps. Working precision of the logarithms (a log10 below 10^14 keeps 60 decimals). The largest integer :meth:`Magnitude.of` takes (bits); bigger ones are described from their formula instead of being built. The fully independent structure&apos;s name (the window translates it).</extracomment>
        <translation>독립</translation>
    </message>
    <message>
        <source>fully dependent</source>
        <translation>완전 의존</translation>
    </message>
    <message>
        <source>Markov AR-{order}</source>
        <translation>마르코프 AR-{order}</translation>
    </message>
    <message>
        <source>{count} block</source>
        <extracomment>&quot;1 block&quot;, &quot;3 layers&quot;: a structure&apos;s size in its name, translatable.</extracomment>
        <translation>블록 {count}개</translation>
    </message>
    <message>
        <source>{count} blocks</source>
        <translation>블록 {count}개</translation>
    </message>
    <message>
        <source>{count} layer</source>
        <translation>층 {count}개</translation>
    </message>
    <message>
        <source>{count} layers</source>
        <translation>층 {count}개</translation>
    </message>
    <message>
        <source>NADE, 100 hidden units</source>
        <extracomment>The orderings a study compares by default (every named one; not ``custom``). The ``format`` of a results file. The shipped measurement (NADE on binarized MNIST). Largest results file read (the shipped one is a few KB). Most runs a results file may list. The shipped study&apos;s words (its model, data and training), marked so the app can show them translated; the file itself stays English.</extracomment>
        <translation>NADE, 은닉 유닛 100개</translation>
    </message>
    <message>
        <source>binarized MNIST: 50,000 training digits, validated on the 10,000 validation digits</source>
        <translation>이진화 MNIST: 학습용 숫자 50,000개, 검증용 숫자 10,000개로 검증</translation>
    </message>
    <message>
        <source>10 epochs of Adam, lr 0.001 (cosine decay), batch 64; the best epoch&apos;s validation NLL</source>
        <translation>Adam으로 10 에폭, 학습률 0.001 (코사인 감쇠), 배치 64; 가장 좋은 에폭의 검증 NLL</translation>
    </message>
    <message>
        <source>{diff} nats worse than {baseline} on average (one seed: the spread between seeds is unknown)</source>
        <extracomment>How one ordering compares with another: (worse, better) by what the seeds&apos; spread says.</extracomment>
        <translation>평균적으로 {baseline}보다 {diff} nats 나쁩니다 (시드 하나뿐이라 시드 사이의 편차는 알 수 없습니다)</translation>
    </message>
    <message>
        <source>{diff} nats better than {baseline} on average (one seed: the spread between seeds is unknown)</source>
        <translation>평균적으로 {baseline}보다 {diff} nats 좋습니다 (시드 하나뿐이라 시드 사이의 편차는 알 수 없습니다)</translation>
    </message>
    <message>
        <source>{diff} nats worse than {baseline} on average, within the spread between seeds</source>
        <translation>평균적으로 {baseline}보다 {diff} nats 나쁘지만, 시드 사이의 편차 안에 있습니다</translation>
    </message>
    <message>
        <source>{diff} nats better than {baseline} on average, within the spread between seeds</source>
        <translation>평균적으로 {baseline}보다 {diff} nats 좋지만, 시드 사이의 편차 안에 있습니다</translation>
    </message>
    <message>
        <source>{diff} nats worse than {baseline} on average, outside the spread between seeds</source>
        <translation>평균적으로 {baseline}보다 {diff} nats 나쁘며, 시드 사이의 편차를 벗어납니다</translation>
    </message>
    <message>
        <source>{diff} nats better than {baseline} on average, outside the spread between seeds</source>
        <translation>평균적으로 {baseline}보다 {diff} nats 좋으며, 시드 사이의 편차를 벗어납니다</translation>
    </message>
    <message>
        <source>{ordering} is the baseline</source>
        <translation>{ordering}이(가) 기준입니다</translation>
    </message>
</context>
</TS>
