;;; dexter-test-lsp.el --- Dexter through lsp-mode, in a real Emacs -*- lexical-binding: t; -*-

;;; Commentary:

;; Each test runs in a fresh `emacs --batch' (tests/editors/test_emacs.py
;; picks one by name), with its own server and state folder.

;;; Code:

(require 'dexter-test-support)
(require 'lsp-mode)
(require 'dexter-lsp)

(setq lsp-session-file (expand-file-name ".lsp-session" temporary-file-directory)
      lsp-keep-workspace-alive nil
      lsp-enable-file-watchers nil
      lsp-auto-guess-root nil
      lsp-restart 'ignore
      lsp-log-io t
      lsp-diagnostics-provider :flymake
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-lens-enable nil
      lsp-enable-snippet nil)

(defun dexter-test-lsp-start ()
  "Open main.py with the flymake backend and lsp-mode; wait for Dexter."
  (dexter-test-open-python)
  (lsp-workspace-folders-add dexter-test-root)
  (lsp)
  (dexter-test-wait "Dexter to start under lsp-mode"
                    (lambda () (let ((workspace (dexter-lsp-workspace)))
                                 (and workspace (eq (lsp--workspace-status workspace)
                                                    'initialized)
                                      (eq dexter--client 'lsp)))))
  (dexter-test-wait-forwarded)
  (dexter-test-goto-diagnostic))

(defun dexter-test-lsp-dexter-actions ()
  "The Dexter code actions lsp-mode offers at point."
  (cl-remove-if-not (lambda (action)
                      (string-prefix-p "Dexter: explain" (lsp:code-action-title action)))
                    (append (lsp-code-actions-at-point) nil)))

(ert-deftest dexter-lsp/declares-the-explanation-view ()
  "The client tells the server it shows explanations itself."
  (dexter-test-lsp-start)
  (let ((capabilities (lsp--client-capabilities
                       (lsp--client-custom-capabilities
                        (lsp--workspace-client (dexter-lsp-workspace))))))
    (should (eq t (alist-get 'dexterExplanationView
                             (alist-get 'experimental capabilities))))))

(ert-deftest dexter-lsp/action-for-a-flymake-diagnostic ()
  "A second source's diagnostic gets the Dexter action; running it shows the answer."
  (dexter-test-lsp-start)
  (let* ((actions (dexter-test-wait "the Dexter code action"
                                    #'dexter-test-lsp-dexter-actions 10))
         (action (car actions)))
    (should (= 1 (length actions)))
    (should (string-match-p "undefined name 'nam'" (lsp:code-action-title action)))
    (lsp-execute-code-action action)
    (let ((text (dexter-test-wait-explanation)))
      (dexter-test-should-show text "explained by builtin/reference")
      (dexter-test-should-show text "NameError")
      (dexter-test-should-show text "undefined name 'nam'"))))

(ert-deftest dexter-lsp/explain-at-point-from-the-reference ()
  "`dexter-explain-at-point' shows the offline reference's answer."
  (dexter-test-lsp-start)
  (dexter-explain-at-point)
  (should (get-buffer-window dexter-explanation-buffer-name))
  (let ((text (dexter-test-wait-explanation)))
    (dexter-test-should-show text "# Dexter: [pyflakes] undefined name 'nam'")
    (dexter-test-should-show text "explained by builtin/reference")
    (dexter-test-should-show text "NameError"))
  (should (eq (current-buffer) (get-file-buffer dexter-test-file))))

(ert-deftest dexter-lsp/hover-on-a-forwarded-diagnostic ()
  "Hovering the forwarded diagnostic shows Dexter's reference text."
  (dexter-test-lsp-start)
  (let* ((hover (dexter-test-wait
                 "a hover from Dexter"
                 (lambda () (lsp-request "textDocument/hover"
                                         (lsp--text-document-position-params)))))
         (contents (lsp:hover-contents hover))
         (text (if (stringp contents) contents (lsp:markup-content-value contents))))
    (should (string-match-p "Dexter" text))
    (should (string-match-p "NameError" text))))

(ert-deftest dexter-lsp/streams-from-an-openai-compatible-model ()
  "The answer of a streaming model fills the buffer chunk by chunk."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-lsp-start)
  (dexter-explain-at-point)
  (let ((text (dexter-test-wait-explanation)))
    (dexter-test-should-show text "explained by local/gpt-4o-mini")
    (dexter-test-should-show text "The name is undefined."))
  (should (>= (length dexter-test-chunks) 2))
  ;; Before the final result, the chunks alone had filled the buffer.
  (let ((last-streamed (car dexter-test-bodies)))
    (should (eq (car last-streamed) 'streaming))
    (should (string-match-p "local/gpt-4o-mini is answering"
                            (cdr last-streamed)))
    (should (string-match-p "The name is undefined\\." (cdr last-streamed)))))

(ert-deftest dexter-lsp/chunks-carry-the-request-id ()
  "The server echoes the id the client gave, so chunks meet their request."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-lsp-start)
  (let ((id (progn (dexter-explain-at-point)
                   (buffer-local-value 'dexter-view--id
                                       (get-buffer dexter-explanation-buffer-name)))))
    (dexter-test-wait-explanation)
    (should dexter-test-chunks)
    (dolist (chunk dexter-test-chunks)
      (should (equal id (dexter-get chunk :id))))))

(ert-deftest dexter-lsp/select-model-then-explain ()
  "Choosing a model with `completing-read' makes it answer the next explanation."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-lsp-start)
  ;; The server discovers the endpoint's models in the background after start-up.
  (dexter-test-wait "the endpoint's models to be discovered"
                    (lambda ()
                      (cl-some (lambda (m) (equal (dexter-get m :id) "local/tiny-coder"))
                               (dexter-get (dexter--execute-sync "dexter.listModels" nil)
                                           :models))))
  (let (offered)
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (setq offered (mapcar (lambda (c) (if (consp c) (car c) c)) collection))
                 "local/tiny-coder")))
      (call-interactively #'dexter-select-model))
    (should (member "local/tiny-coder" offered))
    (should (member "local/gpt-4o-mini" offered))
    (should (member "builtin/reference" offered)))
  (dexter-explain-at-point)
  (let ((text (dexter-test-wait-explanation)))
    (dexter-test-should-show text "explained by local/tiny-coder")))

(ert-deftest dexter-lsp/changed-options-reach-the-server ()
  "`dexter-refresh-settings' pushes the section `dexter' to the running server."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-lsp-start)
  (setq dexter-model "local/tiny-coder")
  (dexter-refresh-settings)
  (dexter-test-wait "the server to take the new model"
                    (lambda ()
                      (equal "local/tiny-coder"
                             (dexter-get (dexter--execute-sync
                                          "dexter.getPreferences"
                                          (vector (lsp--buffer-uri)))
                                         :model))))
  (dexter-explain-at-point)
  (dexter-test-should-show (dexter-test-wait-explanation) "explained by local/tiny-coder"))

(ert-deftest dexter-lsp/progress-names-the-model-asked ()
  "Work-done progress of the explanation shows in its buffer until text streams."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-lsp-start)
  (let (headers)
    (advice-add 'dexter-view-progress :after
                (lambda (&rest _)
                  (with-current-buffer dexter-explanation-buffer-name
                    (push (buffer-substring-no-properties (point-min) dexter-view--body-start)
                          headers))))
    (dexter-explain-at-point)
    (dexter-test-wait-explanation)
    (should (cl-some (lambda (h) (string-match-p "asking local/gpt-4o-mini…" h)) headers))))

(ert-deftest dexter-lsp/a-dead-model-stays-fast ()
  "With the chosen model's server down, three explanations answer at once."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_DEAD"))
  (dexter-test-lsp-start)
  (let (seconds)
    (dotimes (_ 3)
      (let ((start (float-time)))
        (dexter-explain-at-point)
        (let ((text (dexter-test-wait-explanation)))
          (dexter-test-should-show text "explained by builtin/reference")
          (dexter-test-should-show text "NameError"))
        (push (- (float-time) start) seconds)))
    (setq seconds (nreverse seconds))
    (princ (format "DEXTER-FIGURES dead-model seconds: %s\n"
                   (mapconcat (lambda (s) (format "%.2f" s)) seconds " ")))
    (dolist (s seconds)
      (should (< s 1.5)))))

(provide 'dexter-test-lsp)
;;; dexter-test-lsp.el ends here
