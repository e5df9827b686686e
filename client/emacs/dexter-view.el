;;; dexter-view.el --- The Dexter explanation buffer -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Dexter LS authors

;; This file is not part of GNU Emacs.

;;; Commentary:

;; One buffer shows the explanation being written: a title naming the
;; diagnostic, a status line (who is answering, how long it took, the
;; fallbacks taken), then the answer, which fills in as the server's
;; `dexter/explanationChunk' notifications arrive and is replaced by
;; the final text when the command returns.  It uses `gfm-view-mode'
;; when markdown-mode is installed, else `special-mode'.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(declare-function dexter-get "dexter" (object key))
(declare-function dexter-explain-target "dexter" (target &optional model))
(declare-function gfm-view-mode "markdown-mode" ())
(declare-function markdown-view-mode "markdown-mode" ())

(defcustom dexter-explanation-buffer-name "*dexter-explanation*"
  "Name of the buffer that shows explanations."
  :type 'string
  :group 'dexter)

(defcustom dexter-explanation-display-action
  '((display-buffer-reuse-window display-buffer-pop-up-window)
    (inhibit-same-window . t))
  "How `display-buffer' shows the explanation buffer (focus stays in the code)."
  :type 'sexp
  :group 'dexter)

(defvar dexter-explanation-finished-hook nil
  "Functions called with the result object when an explanation has finished.")

(defvar-local dexter-view-state nil
  "State of the explanation shown: `waiting', `streaming', `done' or `failed'.")
(defvar-local dexter-view--id nil "Request id of the explanation shown.")
(defvar-local dexter-view--uri nil "URI of the diagnostic explained.")
(defvar-local dexter-view--range nil "Range of the diagnostic, as a list of four numbers.")
(defvar-local dexter-view--target nil "The {uri, diagnostic} object explained.")
(defvar-local dexter-view--source nil "The buffer the diagnostic belongs to.")
(defvar-local dexter-view--title nil "Title line of the buffer.")
(defvar-local dexter-view--started nil "When the request was sent (a float time).")
(defvar-local dexter-view--body-start nil "Marker where the answer begins.")
(defvar-local dexter-view--result nil "The final result object, once it came.")

(defvar dexter-explanation-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map "q" #'quit-window)
    (define-key map "y" #'dexter-explanation-copy-fix)
    (define-key map "g" #'dexter-explanation-retry)
    map)
  "Keys of the explanation buffer.")

(define-minor-mode dexter-explanation-mode
  "Keys for the Dexter explanation buffer.
\\{dexter-explanation-mode-map}"
  :lighter " Dexter"
  :keymap dexter-explanation-mode-map)

(defun dexter-view--range-key (range)
  "RANGE (a JSON Range) as a list (START-LINE START-CHAR END-LINE END-CHAR)."
  (let ((start (dexter-get range :start))
        (end (dexter-get range :end)))
    (list (dexter-get start :line) (dexter-get start :character)
          (dexter-get end :line) (dexter-get end :character))))

(defun dexter-view--title-for (diagnostic)
  "A one-line title for DIAGNOSTIC."
  (let ((code (dexter-get diagnostic :code))
        (source (dexter-get diagnostic :source))
        (message (replace-regexp-in-string
                  "[ \t\n]+" " " (or (dexter-get diagnostic :message) ""))))
    (string-join (delq nil (list (and source (format "[%s]" source))
                                 (and code (not (equal code "")) (format "%s:" code))
                                 message))
                 " ")))

(defun dexter-view-buffer ()
  "The explanation buffer, created in the right modes when missing."
  (let ((buffer (get-buffer-create dexter-explanation-buffer-name)))
    (with-current-buffer buffer
      (unless dexter-explanation-mode
        (cond ((and (require 'markdown-mode nil t) (fboundp 'gfm-view-mode))
               (gfm-view-mode))
              ((fboundp 'markdown-view-mode) (markdown-view-mode))
              (t (special-mode)))
        (dexter-explanation-mode 1)
        (setq dexter-view--body-start (copy-marker (point-min)))))
    buffer))

(defun dexter-view--set-header (status)
  "Redraw the title and STATUS line above the answer."
  (let ((inhibit-read-only t))
    (save-excursion
      (delete-region (point-min) dexter-view--body-start)
      (goto-char (point-min))
      (insert "# Dexter: " dexter-view--title "\n\n_" status "_\n\n")
      (set-marker dexter-view--body-start (point)))))

(defun dexter-view--set-body (text)
  "Replace the answer with TEXT."
  (let ((inhibit-read-only t))
    (save-excursion
      (delete-region dexter-view--body-start (point-max))
      (goto-char (point-max))
      (insert text))))

(defun dexter-view-start (id uri diagnostic source &optional target)
  "Show that the explanation ID of DIAGNOSTIC in URI has been asked for.
SOURCE is the buffer of the diagnostic; TARGET the object explained."
  (let ((buffer (dexter-view-buffer)))
    (with-current-buffer buffer
      (setq dexter-view--id id
            dexter-view--uri uri
            dexter-view--range (dexter-view--range-key (dexter-get diagnostic :range))
            dexter-view--target (or target (list :uri uri :diagnostic diagnostic))
            dexter-view--source source
            dexter-view--title (dexter-view--title-for diagnostic)
            dexter-view--started (float-time)
            dexter-view--result nil
            dexter-view-state 'waiting)
      (dexter-view--set-body "")
      (dexter-view--set-header "asking Dexter…"))
    (display-buffer buffer dexter-explanation-display-action)
    buffer))

(defun dexter-view--matching-buffer (id &optional uri range)
  "Return the explanation buffer if it is for request ID.
Without ID, match the URI and RANGE of the diagnostic instead."
  (when-let ((buffer (get-buffer dexter-explanation-buffer-name)))
    (with-current-buffer buffer
      (when (and (memq dexter-view-state '(waiting streaming))
                 (if id
                     (equal id dexter-view--id)
                   (and (equal uri dexter-view--uri)
                        (equal (dexter-view--range-key range) dexter-view--range))))
        buffer))))

(defun dexter-view-chunk (params)
  "Append the text of the `dexter/explanationChunk' PARAMS to its explanation.
Chunks carry the request id (or, from older servers, the uri and range)."
  (when-let ((buffer (dexter-view--matching-buffer (dexter-get params :id)
                                                   (dexter-get params :uri)
                                                   (dexter-get params :range))))
    (with-current-buffer buffer
      (when (eq dexter-view-state 'waiting)
        (setq dexter-view-state 'streaming)
        (dexter-view--set-header
         (format "%s is answering…" (or (dexter-get params :model) "a model"))))
      (let ((inhibit-read-only t))
        (save-excursion
          (goto-char (point-max))
          (insert (or (dexter-get params :text) "")))))))

(defun dexter-view-progress (params)
  "Show the work-done progress PARAMS of the explanation they belong to.
Until the answer streams in, the status line says what the server is
doing (which model it asks, the fallbacks it takes)."
  (let* ((value (dexter-get params :value))
         (text (or (dexter-get value :message) (dexter-get value :title))))
    (when-let ((buffer (and text (member (dexter-get value :kind) '("begin" "report"))
                            (dexter-view--matching-buffer (dexter-get params :token)))))
      (with-current-buffer buffer
        (when (eq dexter-view-state 'waiting)
          (dexter-view--set-header (format "%s…" text)))))))

(defun dexter-view--status (result)
  "The status line for RESULT: model, time, fallbacks, tokens."
  (let* ((model (dexter-get result :model))
         (requested (dexter-get result :requestedModel))
         (latency (dexter-get result :latencyMs))
         (failed (cl-remove-if (lambda (a) (equal (dexter-get a :outcome) "success"))
                               (append (dexter-get result :attempts) nil)))
         (parts (list (format "explained by %s" model))))
    (when (numberp latency)
      (push (format "in %.1f s" (/ latency 1000.0)) parts))
    (when (eq (dexter-get result :cached) t)
      (push "from the cache" parts))
    (when (and requested (not (equal requested model)))
      (push (format "asked %s first" requested) parts))
    (dolist (attempt failed)
      (push (format "%s: %s" (dexter-get attempt :model)
                    (or (dexter-get attempt :errorClass) (dexter-get attempt :outcome)))
            parts))
    (when (eq (dexter-get result :incomplete) t)
      (push "incomplete: the stream broke off" parts))
    (string-join (nreverse parts) " · ")))

(defun dexter-view-finish (id result)
  "Show RESULT, the answer to request ID, in full."
  (when-let ((buffer (dexter-view--matching-buffer id)))
    (with-current-buffer buffer
      (setq dexter-view-state 'done
            dexter-view--result result)
      (dexter-view--set-body (or (dexter-get result :markdown) ""))
      (dexter-view--set-header (dexter-view--status result))
      (run-hook-with-args 'dexter-explanation-finished-hook result))))

(defun dexter-view-fail (id message)
  "Show that request ID failed with MESSAGE."
  (when-let ((buffer (dexter-view--matching-buffer id)))
    (with-current-buffer buffer
      (setq dexter-view-state 'failed)
      (dexter-view--set-header (format "failed: %s" message))
      (message "Dexter: %s" message))))

(defun dexter-explanation-copy-fix ()
  "Copy the first code block of the explanation (usually the fix)."
  (interactive)
  (save-excursion
    (goto-char (point-min))
    (if (re-search-forward "^```[^\n]*\n\\(\\(?:.\\|\n\\)*?\n\\)```" nil t)
        (progn (kill-new (match-string-no-properties 1))
               (message "Dexter: copied the fix"))
      (user-error "No code block in this explanation"))))

(defun dexter-explanation-retry (&optional model)
  "Explain the same diagnostic again; with a prefix argument, ask for a MODEL."
  (interactive (list (and current-prefix-arg
                          (read-string "Model (provider/model): "))))
  (let ((target dexter-view--target)
        (source dexter-view--source))
    (unless (and target (buffer-live-p source))
      (user-error "Nothing to explain again"))
    (with-current-buffer source
      (dexter-explain-target target model))))

(provide 'dexter-view)
;;; dexter-view.el ends here
