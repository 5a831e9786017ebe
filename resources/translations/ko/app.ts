<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ConceptBox</name>
    <message>
        <source>Show or hide the explanation</source>
        <translation>설명 보이기/숨기기</translation>
    </message>
</context>
<context>
    <name>Drawer</name>
    <message>
        <source>Close the library (Esc)</source>
        <extracomment>Share of the parent&apos;s width the drawer takes, and its bounds in pixels.</extracomment>
        <translation>라이브러리 닫기 (Esc)</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>name</source>
        <extracomment>The table&apos;s columns (the last one says whose the file is). The status message of the last load started here (&quot;&quot; before any).</extracomment>
        <translation>이름</translation>
    </message>
    <message>
        <source>model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>valid NLL</source>
        <translation>검증 NLL</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>매개변수</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>저장일</translation>
    </message>
    <message>
        <source>Double-click a model to use it in the panels</source>
        <translation>모델을 두 번 클릭하면 패널에서 사용합니다</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>사용</translation>
    </message>
    <message>
        <source>Make the selected model the current one</source>
        <translation>선택한 모델을 현재 모델로 정합니다</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>이름 바꾸기…</translation>
    </message>
    <message>
        <source>Rename the selected checkpoint</source>
        <translation>선택한 체크포인트의 이름을 바꿉니다</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete the selected checkpoint</source>
        <translation>선택한 체크포인트를 삭제합니다</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>가져오기…</translation>
    </message>
    <message>
        <source>Copy a checkpoint file into the library</source>
        <translation>체크포인트 파일을 라이브러리로 복사합니다</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Save a copy of the selected checkpoint</source>
        <translation>선택한 체크포인트의 사본을 저장합니다</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <source>Open the folder that holds the selected file</source>
        <translation>선택한 파일이 있는 폴더를 엽니다</translation>
    </message>
    <message>
        <source>bundled</source>
        <translation>기본 제공</translation>
    </message>
    <message>
        <source>yours</source>
        <translation>내 모델</translation>
    </message>
    <message>
        <source>{nll} nats</source>
        <translation>{nll} nats</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>파일 1개</translation>
    </message>
    <message>
        <source>{count} files</source>
        <translation>파일 {count}개</translation>
    </message>
    <message>
        <source>{files} in the library could not be read (grey rows). Select one to delete it or to show it in its folder.</source>
        <translation>라이브러리의 {files}를 읽을 수 없습니다 (회색 행). 하나를 선택해 삭제하거나 폴더에서 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>unreadable: {reason}</source>
        <translation>읽을 수 없음: {reason}</translation>
    </message>
    <message>
        <source>{path}
cannot be used: {reason}</source>
        <translation>{path}
사용할 수 없음: {reason}</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>모델 라이브러리</translation>
    </message>
    <message>
        <source>{name} cannot be used: {reason}</source>
        <translation>{name}을(를) 사용할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>loading {name} …</source>
        <translation>{name} 불러오는 중 …</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>새 이름:</translation>
    </message>
    <message>
        <source>Delete {name}? This cannot be undone.</source>
        <translation>{name}을(를) 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Import a checkpoint</source>
        <translation>체크포인트 가져오기</translation>
    </message>
    <message>
        <source>Checkpoints (*.safetensors)</source>
        <translation>체크포인트 (*.safetensors)</translation>
    </message>
    <message>
        <source>Export a checkpoint</source>
        <translation>체크포인트 내보내기</translation>
    </message>
    <message>
        <source>exported to {path}</source>
        <translation>{path}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>{name} is in {folder}</source>
        <translation>{name}은(는) {folder}에 있습니다</translation>
    </message>
    <message>
        <source>could not open {folder}</source>
        <translation>{folder}을(를) 열 수 없습니다</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Parameter counter</source>
        <extracomment>The factorisation the About box shows (a formula: never translated). (title, factory) of the panels, in the order of the course. The title is &quot;&lt;number&gt; &lt;name&gt;&quot;; the name is English, marked for translation under the context &quot;MainWindow&quot; (:func:`panel_name` gives it in the current language).</extracomment>
        <translation>매개변수 세기</translation>
    </message>
    <message>
        <source>Orderings</source>
        <translation>픽셀 순서</translation>
    </message>
    <message>
        <source>Training monitor</source>
        <translation>학습 모니터</translation>
    </message>
    <message>
        <source>Sample viewer</source>
        <translation>샘플 보기</translation>
    </message>
    <message>
        <source>Draw and score</source>
        <translation>그리고 점수 매기기</translation>
    </message>
    <message>
        <source>Context regions</source>
        <translation>문맥 영역</translation>
    </message>
    <message>
        <source>What it learned</source>
        <translation>학습한 것</translation>
    </message>
    <message>
        <source>The seven panels (Ctrl+1 … Ctrl+7)</source>
        <translation>일곱 개의 패널 (Ctrl+1 … Ctrl+7)</translation>
    </message>
    <message>
        <source> Model: </source>
        <translation> 모델: </translation>
    </message>
    <message>
        <source>The model the sample, canvas and context panels use</source>
        <translation>샘플, 캔버스, 문맥 패널이 쓰는 모델</translation>
    </message>
    <message>
        <source>loading the model …</source>
        <translation>모델 불러오는 중 …</translation>
    </message>
    <message>
        <source>Current model</source>
        <translation>현재 모델</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>모델 라이브러리</translation>
    </message>
    <message>
        <source>Text size (View → Zoom in / out / reset)</source>
        <translation>글자 크기 (보기 → 확대 / 축소 / 원래대로)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Open checkpoint…</source>
        <translation>체크포인트 열기…</translation>
    </message>
    <message>
        <source>Import a checkpoint into the library and use it</source>
        <translation>체크포인트를 라이브러리로 가져와 사용합니다</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>데이터 열기…</translation>
    </message>
    <message>
        <source>Train on an .npz/.npy file or a folder of MNIST IDX files</source>
        <translation>.npz/.npy 파일이나 MNIST IDX 파일 폴더로 학습합니다</translation>
    </message>
    <message>
        <source>Export checkpoint…</source>
        <translation>체크포인트 내보내기…</translation>
    </message>
    <message>
        <source>Save a copy of the selected checkpoint</source>
        <translation>선택한 체크포인트의 사본을 저장합니다</translation>
    </message>
    <message>
        <source>Export panel image…</source>
        <translation>패널 이미지 내보내기…</translation>
    </message>
    <message>
        <source>Save the current panel as a PNG</source>
        <translation>현재 패널을 PNG로 저장합니다</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>Show or hide the model library (bundled models and your runs)</source>
        <translation>모델 라이브러리(기본 제공 모델과 내 학습 결과) 보이기/숨기기</translation>
    </message>
    <message>
        <source>Explanations</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Show or hide each panel&apos;s explanation</source>
        <translation>각 패널의 설명 보이기/숨기기</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>Larger text and plots, for a projector (presentation mode)</source>
        <translation>프로젝터용으로 글자와 그래프를 크게 (발표 모드)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>축소</translation>
    </message>
    <message>
        <source>Smaller text and plots</source>
        <translation>글자와 그래프를 작게</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>원래 크기</translation>
    </message>
    <message>
        <source>Text at 100 %</source>
        <translation>글자 100 %</translation>
    </message>
    <message>
        <source>Concepts…</source>
        <translation>개념 설명…</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>{app} 정보</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템 설정</translation>
    </message>
    <message>
        <source>none — pick one in the library or train one</source>
        <translation>없음 — 라이브러리에서 고르거나 새로 학습하세요</translation>
    </message>
    <message>
        <source>{nll} nats</source>
        <translation>{nll} nats</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; · {kind} · {count} parameters · data {data} · valid NLL {nll}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; · {kind} · 매개변수 {count}개 · 데이터 {data} · 검증 NLL {nll}</translation>
    </message>
    <message>
        <source>Open a checkpoint</source>
        <translation>체크포인트 열기</translation>
    </message>
    <message>
        <source>Checkpoints (*.safetensors)</source>
        <translation>체크포인트 (*.safetensors)</translation>
    </message>
    <message>
        <source>text {percent} %</source>
        <translation>글자 {percent} %</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>데이터 열기</translation>
    </message>
    <message>
        <source>Images (*.npz *.npy);;All files (*)</source>
        <translation>이미지 (*.npz *.npy);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Export image</source>
        <translation>이미지 내보내기</translation>
    </message>
    <message>
        <source>PNG (*.png)</source>
        <translation>PNG (*.png)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Could not write {path}</source>
        <translation>{path}에 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Concepts</source>
        <translation>개념 설명</translation>
    </message>
    <message>
        <source>&lt;p&gt;An explorer of autoregressive generative models of images: {formula}.&lt;/p&gt;&lt;p&gt;Count the parameters a joint distribution needs, see pixel orderings, train NADE, MADE, PixelCNN, Row LSTM and Diagonal BiLSTM, watch a model draw a digit pixel by pixel, score your own drawing, and see what context each architecture can use.&lt;/p&gt;&lt;p&gt;MNIST: Yann LeCun, Corinna Cortes, Christopher J. C. Burges (CC BY-SA 3.0).&lt;/p&gt;</source>
        <translation>&lt;p&gt;이미지의 자기회귀 생성 모델(autoregressive generative model)을 살펴보는 프로그램입니다: {formula}.&lt;/p&gt;&lt;p&gt;결합 분포에 필요한 매개변수를 세어 보고, 픽셀 순서를 살펴보고, NADE, MADE, PixelCNN, Row LSTM, Diagonal BiLSTM을 학습하고, 모델이 숫자를 픽셀 하나씩 그려 가는 모습을 보고, 직접 그린 그림의 점수를 매기고, 각 구조가 어떤 문맥을 쓸 수 있는지 확인할 수 있습니다.&lt;/p&gt;&lt;p&gt;MNIST: Yann LeCun, Corinna Cortes, Christopher J. C. Burges (CC BY-SA 3.0).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>파일 1개</translation>
    </message>
    <message>
        <source>{count} files</source>
        <translation>파일 {count}개</translation>
    </message>
    <message>
        <source>{files} in the model library could not be read; the library (Ctrl+L) shows them and why</source>
        <translation>모델 라이브러리의 {files}를 읽을 수 없습니다. 라이브러리(Ctrl+L)에서 파일과 이유를 볼 수 있습니다</translation>
    </message>
    <message>
        <source>could not reopen the last model: {detail}</source>
        <translation>마지막 모델을 다시 열 수 없습니다: {detail}</translation>
    </message>
    <message>
        <source>could not open a model: {detail}</source>
        <translation>모델을 열 수 없습니다: {detail}</translation>
    </message>
</context>
<context>
    <name>PixelDistribution</name>
    <message>
        <source>value of pixel x&lt;sub&gt;i&lt;/sub&gt; (0 black, 1 white)</source>
        <extracomment>The conditional the plot shows (a formula: never translated). Where a spike of the density rises above the view, its height.</extracomment>
        <translation>픽셀 x&lt;sub&gt;i&lt;/sub&gt;의 값 (0 검정, 1 흰색)</translation>
    </message>
    <message>
        <source>density {conditional}</source>
        <translation>밀도 {conditional}</translation>
    </message>
    <message>
        <source>Red line: the value given, {value}.</source>
        <translation>빨간 선: 주어진 값, {value}.</translation>
    </message>
    <message>
        <source>Red line: the value drawn, {value}.</source>
        <translation>빨간 선: 뽑힌 값, {value}.</translation>
    </message>
    <message>
        <source>↑ peak {peak} at {where}</source>
        <translation>↑ {where}에서 최고 {peak}</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>order</source>
        <extracomment>A setting&apos;s label and tooltip in other languages: the English here is only the translation source; English shows the field&apos;s name and the config&apos;s docstring, as the form always did.</extracomment>
        <translation>차수</translation>
    </message>
    <message>
        <source>k, the number of preceding pixels (in the ordering) each pixel sees.</source>
        <translation>k, 각 픽셀이 보는 (픽셀 순서상) 앞선 픽셀의 수입니다.</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>은닉 유닛</translation>
    </message>
    <message>
        <source>H, the number of hidden units shared by all conditionals.</source>
        <translation>H, 모든 조건부 분포가 함께 쓰는 은닉 유닛의 수입니다.</translation>
    </message>
    <message>
        <source>hidden sizes</source>
        <translation>은닉층 크기</translation>
    </message>
    <message>
        <source>Widths of the hidden layers (ReLU), e.g. 500,500.</source>
        <translation>은닉층(ReLU)의 너비입니다. 예: 500,500.</translation>
    </message>
    <message>
        <source>num masks</source>
        <translation>마스크 수</translation>
    </message>
    <message>
        <source>How many masks are cycled during training (1 = a fixed mask).</source>
        <translation>학습 중에 번갈아 쓰는 마스크의 수입니다 (1 = 고정된 마스크).</translation>
    </message>
    <message>
        <source>order agnostic</source>
        <translation>순서 무관 학습</translation>
    </message>
    <message>
        <source>Give every mask after the first its own random ordering.</source>
        <translation>첫 마스크 다음의 모든 마스크에 각자의 무작위 픽셀 순서를 줍니다.</translation>
    </message>
    <message>
        <source>ensemble</source>
        <translation>앙상블</translation>
    </message>
    <message>
        <source>Evaluate log p(x) as the mixture over all masks.</source>
        <translation>log p(x)를 모든 마스크에 대한 혼합으로 계산합니다.</translation>
    </message>
    <message>
        <source>mask seed</source>
        <translation>마스크 시드</translation>
    </message>
    <message>
        <source>Seed of the hidden degrees (and of the extra orderings).</source>
        <translation>은닉 유닛 번호(와 추가 픽셀 순서)의 난수 시드입니다.</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>직접 연결</translation>
    </message>
    <message>
        <source>Add a masked input → output connection (an FVSBN term).</source>
        <translation>마스크된 입력 → 출력 직접 연결(FVSBN 항)을 더합니다.</translation>
    </message>
    <message>
        <source>channels</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>Feature maps between the layers.</source>
        <translation>층 사이의 특징 맵 수입니다.</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>층 수</translation>
    </message>
    <message>
        <source>Number of layers (residual blocks).</source>
        <translation>층(잔차 블록)의 수입니다.</translation>
    </message>
    <message>
        <source>first kernel</source>
        <translation>첫 커널</translation>
    </message>
    <message>
        <source>Size of the first (mask-A) convolution&apos;s kernel.</source>
        <translation>첫 (마스크 A) 합성곱의 커널 크기입니다.</translation>
    </message>
    <message>
        <source>output layers</source>
        <translation>출력층 수</translation>
    </message>
    <message>
        <source>Number of 1×1 convolution layers before the output.</source>
        <translation>출력 앞의 1×1 합성곱 층 수입니다.</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Size of each block&apos;s mask-B convolution (odd).</source>
        <translation>각 블록의 마스크 B 합성곱 크기입니다 (홀수).</translation>
    </message>
    <message>
        <source>backward reads pixel</source>
        <translation>역방향이 픽셀 읽기</translation>
    </message>
    <message>
        <source>Let each right-to-left LSTM also read the pixel at its own position, so a pixel&apos;s context is the whole past, as the paper describes. Off gives the literal architecture.</source>
        <translation>오른쪽에서 왼쪽으로 가는 각 LSTM이 제자리의 픽셀도 읽게 하여, 논문의 설명대로 픽셀의 문맥이 과거 전체가 되게 합니다. 끄면 문자 그대로의 구조가 됩니다.</translation>
    </message>
</context>
<context>
    <name>TradeoffChart</name>
    <message>
        <source>parameters (log scale)</source>
        <extracomment>The x range (log₁₀ parameters) the chart always shows; the arrow sits right.</extracomment>
        <translation>매개변수 수 (로그 척도)</translation>
    </message>
    <message>
        <source>validation NLL (nats per image)</source>
        <translation>검증 NLL (이미지당 nats)</translation>
    </message>
    <message>
        <source>Every model shipped on binarized MNIST: its number of parameters against its validation NLL (lower fits better). The Markov chains AR-k along the raster order, fitted exactly by counting, are joined by the dashed line; filled points ship with the app, an open one is regenerated on request. Hover a point for its numbers; click it to load the model.</source>
        <translation>이진화 MNIST로 함께 제공되는 모든 모델의 매개변수 수와 검증 NLL(낮을수록 잘 맞음)입니다. 래스터 순서를 따르는 마르코프 연쇄 AR-k는 빈도를 세어 정확히 학습한 것으로, 점선으로 이어져 있습니다. 채워진 점은 앱과 함께 제공되는 모델이고, 빈 점은 요청하면 다시 만듭니다. 점에 마우스를 올리면 수치가 보이고, 클릭하면 모델을 불러옵니다.</translation>
    </message>
    <message>
        <source>Parameters against fit; click a point</source>
        <translation>매개변수 대 적합도: 점을 클릭하십시오</translation>
    </message>
    <message>
        <source>fully dependent: {count} ≈ {m} × 10{e} parameters</source>
        <translation>완전 의존: 매개변수 {count} ≈ {m} × 10{e}개</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>함께 제공됨</translation>
    </message>
    <message>
        <source>regenerated by counting, in your library</source>
        <translation>빈도를 세어 다시 만듦, 내 라이브러리에 있음</translation>
    </message>
    <message>
        <source>not shipped: click to regenerate it (seconds)</source>
        <translation>제공되지 않음: 클릭하면 다시 만듭니다(몇 초)</translation>
    </message>
    <message>
        <source>{name}
{params} parameters
validation NLL {nll} nats
{origin}</source>
        <translation>{name}
매개변수 {params}개
검증 NLL {nll} nats
{origin}</translation>
    </message>
</context>
</TS>
